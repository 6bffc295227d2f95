"use client";

/**
 * Downloads a file the gateway serves only with a bearer token (exports): fetched with the token,
 * then handed to the browser as a file with the name the server gave it. Throws a sentence a
 * person can act on when the server refuses.
 */
export async function downloadWithToken(url: URL, token: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) {
    // The export answers a refusal as "CODE: message" in plain text.
    const text = (await response.text().catch(() => "")).trim();
    const message = /^[A-Z_]+: (.+)$/s.exec(text)?.[1];
    throw new Error(message ?? `The export failed (HTTP ${response.status}). Try again.`);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(href);
}
