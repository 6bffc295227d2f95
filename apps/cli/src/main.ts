import { verifyCommand } from "./verify-command.ts";

/** Where a command writes: its report, and what went wrong with the command itself. */
export interface Output {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

export const USAGE = `usage: lotgraph verify <evidence.zip> [--public-key <key.pem> | --fingerprint <sha256:…>]

  verify   checks a recall case's evidence bundle offline: the manifest's signature, every file's
           SHA-256, every audit entry's hash and its Merkle path to its chain's signed root.
           --public-key / --fingerprint: the key the bundle must be signed with (your Lotgraph
           gateway shows it at GET /exports/signing-key).
           Exit code 0 when everything verifies, 1 when anything does not, 2 on a usage error.
`;

/** Runs one command line (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], output: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "verify") return verifyCommand(rest, output);
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    output.out.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  output.err.write(`lotgraph: unknown command ${command}\n${USAGE}`);
  return 2;
}
