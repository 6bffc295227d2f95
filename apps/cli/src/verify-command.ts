import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { evidenceSummary, unpackEvidence, verifyEvidence, type ExpectedSigner } from "@lotgraph/kit/evidence";
import { USAGE, type Output } from "./main.ts";

/**
 * `lotgraph verify <bundle.zip> [--public-key <pem file> | --fingerprint <F>]`: one line per check
 * that fails and exit code 1, or the summary and 0. Reads nothing but the files it is given.
 */
export async function verifyCommand(args: readonly string[], { out, err }: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { "public-key": { type: "string" }, fingerprint: { type: "string" } },
    });
  } catch (error) {
    err.write(`lotgraph verify: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [path, ...extra] = parsed.positionals;
  const { "public-key": keyPath, fingerprint } = parsed.values;
  if (!path || extra.length > 0 || (keyPath && fingerprint)) {
    err.write(`lotgraph verify: give one bundle, and at most one of --public-key and --fingerprint\n${USAGE}`);
    return 2;
  }
  const expected: ExpectedSigner = { fingerprint: fingerprint ?? null };
  let files: Map<string, Uint8Array>;
  try {
    if (keyPath) expected.publicKeyPem = await readFile(keyPath, "utf8");
    files = unpackEvidence(await readFile(path));
  } catch (error) {
    err.write(`lotgraph verify: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const report = verifyEvidence(files, expected);
  if (!report.ok) {
    for (const failure of report.failures) out.write(`FAILED ${failure}\n`);
    out.write(`${path} does not verify: ${report.failures.length} problem${report.failures.length === 1 ? "" : "s"}\n`);
    return 1;
  }
  out.write(`${evidenceSummary(report)}\n`);
  if (!report.signerCompared)
    out.write(
      "note: the signing key was not compared with your plant's: pass --fingerprint or --public-key " +
        "(GET /exports/signing-key on your Lotgraph gateway)\n",
    );
  return 0;
}
