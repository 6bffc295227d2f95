import { describe, expect, it } from "vitest";
import { BackupRefused } from "./backup-format.ts";
import { codeMigrations, migrationsToReplay } from "./code-migrations.ts";

const code = [
  { id: "kit/0001", sql: "-- a", checksum: "a".repeat(64) },
  { id: "0001_init", sql: "-- b", checksum: "b".repeat(64) },
  { id: "0002_more", sql: "-- c", checksum: "c".repeat(64) },
];

describe("migrationsToReplay", () => {
  it("replays what the backup had, in the code's order; later migrations are left to the next start", () => {
    const applied = [
      { id: "0001_init", checksum: "b".repeat(64) },
      { id: "kit/0001", checksum: "a".repeat(64) },
    ];
    expect(migrationsToReplay("inventory", applied, code).map((m) => m.id)).toEqual(["kit/0001", "0001_init"]);
  });

  it("refuses a migration this code does not know, naming it", () => {
    const applied = [{ id: "0003_future", checksum: "d".repeat(64) }];
    expect(() => migrationsToReplay("quality", applied, code)).toThrow(
      new BackupRefused(
        "restore refused: the backup's quality has migration 0003_future, which this Lotgraph does not know; restore it with the version that made it",
      ),
    );
  });

  it("refuses a migration whose contents differ from this code's", () => {
    const applied = [{ id: "0002_more", checksum: "e".repeat(64) }];
    expect(() => migrationsToReplay("inventory", applied, code)).toThrow(
      /migration 0002_more differs from this Lotgraph's/,
    );
  });
});

describe("codeMigrations", () => {
  it("lists the kit's migrations first, then the subgraph's, as Database.open applies them", async () => {
    const ids = (await codeMigrations("inventory")).map((m) => m.id);
    expect(ids[0]).toBe("kit/0001_kit_runtime");
    expect(ids.filter((id) => !id.startsWith("kit/"))[0]).toMatch(/^\d{14}_init$/);
  });
});
