import { BackupRefused } from "./backup-format.ts";

/**
 * Runs `npm run backup` or `npm run restore` as a script: `work` gets the progress sink (stderr,
 * so stdout stays clean for a pipe), the time taken follows, and the process exits 0 when it is
 * done, 2 on a usage error, or 1 when it failed: a refusal as its one line, anything else whole.
 */
export function runBackupCommand(
  name: "backup" | "restore",
  work: (progress: (line: string) => void) => Promise<"done" | "usage">,
): void {
  const started = performance.now();
  work((line) => console.error(line)).then(
    (outcome) => {
      if (outcome === "done") console.error(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      process.exit(outcome === "done" ? 0 : 2);
    },
    (error: unknown) => {
      console.error(error instanceof BackupRefused ? error.message : error);
      process.exit(1);
    },
  );
}
