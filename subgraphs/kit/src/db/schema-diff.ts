import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindSqlAdapterFactory, type SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaContainer, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";

export interface DiffDatabaseToSchemaOptions {
  /**
   * The database to read: `new PrismaPGlite(pglite)`, or for PostgreSQL the adapter from
   * {@link schemaEnginePgAdapter} (a plain `PrismaPg` cannot read the catalogs, see there).
   */
  adapter: SqlDriverAdapterFactory;
  /** Absolute paths of `.prisma` files, read together as one datamodel (a multi-file schema). */
  schemaFiles: string[];
}

/**
 * Returns the SQL script that would take the database behind `adapter` to the datamodel of
 * `schemaFiles`, or `""` when they already match. This is `prisma migrate diff
 * --from-config-datasource --to-schema <files> --script` with `adapter` in prisma.config, run on
 * Prisma's WebAssembly schema engine, because the native engine binary cannot be installed here.
 * Only the adapter's schema is read (`public` on PGlite). Triggers and functions are invisible to
 * Prisma, so they never show up as drift.
 */
export async function diffDatabaseToSchema(options: DiffDatabaseToSchemaOptions): Promise<string> {
  const files = await Promise.all(
    options.schemaFiles.map(async (path) => ({ path, content: await readFile(path, "utf8") })),
  );
  // Each side needs a datasource block to pick the connector. The database side gets a bare one:
  // no url, the adapter is the connection. Files such as kit.prisma have none of their own.
  const datasource: SchemaContainer = { path: "datasource.prisma", content: DATASOURCE };
  const hasDatasource = files.some((f) => /^\s*datasource\s+\w+\s*\{/m.test(f.content));
  const SchemaEngineClass = await loadSchemaEngine();
  const engine = await SchemaEngineClass.new(
    { datamodels: undefined },
    () => {}, // engine tracing; its errors carry the useful part
    bindSqlAdapterFactory(options.adapter),
  );
  try {
    const { stdout } = await engine.diff({
      from: {
        tag: "schemaDatasource",
        files: [datasource],
        configDir: dirname(files[0]?.path ?? "."),
      },
      to: { tag: "schemaDatamodel", files: hasDatasource ? files : [...files, datasource] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return stdout && !isCommentsOnly(stdout) ? stdout : "";
  } finally {
    engine.free();
  }
}

/**
 * A `PrismaPg` adapter over `schema` that the schema engine can introspect with, and the pool to
 * close afterwards. `@prisma/adapter-pg` 7.10 rejects result columns of PostgreSQL's internal
 * `"char"` type (oid 18), which the engine selects from pg_catalog (`pg_constraint.contype`,
 * foreign key actions, ...); the client never needs them, so nobody noticed. The pool reports
 * them as `text` before pg builds the result: the values are one-letter strings either way.
 */
export function schemaEnginePgAdapter(
  connectionString: string,
  schema: string,
): { adapter: PrismaPg; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on("connect", (client) => {
    client.connection.prependListener("rowDescription", (message: RowDescription) => {
      for (const field of message.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    });
  });
  return { adapter: new PrismaPg(pool, { schema }), close: () => pool.end() };
}

interface RowDescription {
  fields: { dataTypeID: number }[];
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n';

/** An empty diff still comes back as a script: `-- This is an empty migration.` */
function isCommentsOnly(script: string): boolean {
  return script.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}

let engineClass: Promise<typeof SchemaEngine> | undefined;

/**
 * Instantiates the wasm module once per process, as Prisma's own loader does (wasm-bindgen keeps
 * module-level state). The package's main entry imports the `.wasm` file as an ES module, which
 * Node cannot do, so we compile it and hand it to the wasm-bindgen glue ourselves.
 */
function loadSchemaEngine(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasm = new WebAssembly.Module(await readFile(join(dirname(gluePath), "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasm, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === "function") start();
    return glue.SchemaEngine;
  })();
  return engineClass;
}
