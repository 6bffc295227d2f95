/**
 * Text the PDF's standard fonts can show. Helvetica as every PDF reader has it (no font file to
 * embed or ship) encodes WinAnsi (Windows-1252): Western European letters, typographic quotes,
 * dashes and €. A name from a supplier or an ERP may hold more ("Łódź", "≥"): such a character
 * is shown as its base letter or a plain equivalent, else "?", never as another glyph by mistake.
 */
export function printable(text: string): string {
  let out = "";
  for (const char of text.normalize("NFC")) {
    if (inWinAnsi(char) || char === "\n") out += char;
    else if (char === "\t" || char === "\r") out += " ";
    else {
      const plain = PLAIN[char] ?? char.normalize("NFKD").replace(/\p{M}/gu, "");
      out += plain.length > 0 && [...plain].every(inWinAnsi) ? plain : "?";
    }
  }
  return out;
}

/** The 27 characters Windows-1252 puts in 0x80–0x9F, where Latin-1 has control codes. */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

function inWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/** Letters without a decomposition, and signs, that have a fair plain form. */
const PLAIN: Readonly<Record<string, string>> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  ĸ: "k",
  Ŋ: "N",
  ŋ: "n",
  "≤": "<=",
  "≥": ">=",
  "≠": "!=",
  "−": "-",
  "→": "->",
  "←": "<-",
  "\u2009": " ",
  "\u202f": " ",
};
