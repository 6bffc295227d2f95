import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * A PDF's pages as text, read with Mozilla's pdf.js (independent of the library that wrote it):
 * each page's text items joined by spaces, in drawing order.
 */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const content = await (await pdf.getPage(number)).getTextContent();
      pages.push(
        content.items
          .map((item) => ("str" in item ? item.str : ""))
          .filter((text) => text.trim() !== "")
          .join(" "),
      );
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}
