// Writes the next migration of a subgraph: `npx tsx scripts/migration-new.ts <subgraph> <name>`.
// Edit `subgraphs/<subgraph>/prisma/schema.prisma` first, then run this. It applies the kit's and
// the subgraph's existing migrations to a fresh in-memory PGlite, asks Prisma's schema engine
// (WebAssembly, through the driver adapter) for the SQL that takes that database to schema.prisma
// + kit.prisma, and writes it to `prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql`;
// it prints "no changes" when there is nothing to write. It stands in for `prisma migrate dev
// --create-only`, whose native engine cannot run here. Review the SQL (renames come out as
// drop + add; data backfills are yours to add) and commit it with the schema change. <subgraph>
// may also be a path to a directory holding `prisma/schema.prisma`.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { schemaDrift } from "@lotgraph/kit/testing";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function main(args: string[]): Promise<number> {
  const [subgraph, name] = args;
  if (!subgraph || !name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npx tsx scripts/migration-new.ts <subgraph> <name>   (name: lower_snake_case)");
    return 2;
  }
  const subgraphDir = subgraph.includes("/") ? resolve(subgraph) : join(ROOT, "subgraphs", subgraph);
  if (!existsSync(join(subgraphDir, "prisma", "schema.prisma"))) {
    console.error(`no prisma/schema.prisma in ${subgraphDir}`);
    return 2;
  }
  const sql = await schemaDrift(subgraphDir);
  if (sql === "") {
    console.log("no changes");
    return 0;
  }
  const file = join(subgraphDir, "prisma", "migrations", `${timestamp(new Date())}_${name}`, "migration.sql");
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, sql, { flag: "wx" }); // never overwrite a migration
  console.log(`wrote ${relative(process.cwd(), file)}\n\n${sql}`);
  return 0;
}

/** Prisma's folder prefix, in UTC, so folder order is application order. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

process.exitCode = await main(process.argv.slice(2));
