import {
  PGlite,
  messages,
  parse,
  protocol,
  types,
  type QueryOptions,
  type Results,
  type Transaction,
} from "@electric-sql/pglite";
import { query as templateQuery } from "@electric-sql/pglite/template";
import { quoteIdent } from "./sql.ts";

const { serialize } = protocol;

/** SQL texts whose parameter types are remembered (one entry per distinct statement text). */
const PARAMETER_TYPES_CACHE_SIZE = 2_000;

/**
 * PGlite whose `query` hands the engine one batch of protocol messages per statement instead of
 * one call per message.
 *
 * PGlite 0.4's `query` runs the extended protocol as six separate calls into the WebAssembly
 * engine (Parse, Describe statement, Bind, Describe portal, Execute, Sync), each with its own
 * round of buffers and result parsing. In a micro-benchmark a primary-key read took 240–270 µs
 * that way and 96 µs as one batch read as below (docs/decisions/0010, last addendum).
 *
 * Only the Describe of the statement needs its own call, for the parameter types that choose
 * each value's serializer. Those types follow from the statement's text and the schema
 * (parameters are never typed by the caller here, and the schema changes only while migrations
 * run, before anything is served), so they are remembered per text: the first run of a
 * statement takes two calls, every later one a single call. Values are serialized by the
 * instance's serializers for those types, results parsed by its parsers, errors carry the query
 * as PGlite's do: the answers are PGlite's own (batched-pglite.test.ts compares them).
 *
 * The same goes for `query` inside `transaction()`, which is the kit's own for the same reason
 * (see there). Outside a transaction, queries with explicit parameter types, their own
 * serializers or a blob go through PGlite unchanged; inside one, typed parameters and
 * serializers are batched too (their types not remembered), and a blob is refused.
 */
export class BatchedPGlite extends PGlite {
  readonly #parameterTypes = new Map<string, number[]>();
  /** The session's `search_path` as last set by {@link useSchema}; null when unknown. */
  #searchPath: string | null = null;

  override async query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (!batchable(options)) return super.query<T>(sql, params, options);
    await this._checkReady();
    // As PGlite's own `query`: not while a transaction holds the connection, one statement at a time.
    return this._runExclusiveTransaction(() => this.#statement<T>(sql, params, options, { syncToFs: true }));
  }

  /**
   * PGlite's transaction (BEGIN, then COMMIT or ROLLBACK, the connection held throughout), in
   * fewer calls into the engine: PGlite's own sends BEGIN, COMMIT and ROLLBACK each as a simple
   * query followed by a Sync of its own, two calls apiece, where the simple query alone is
   * complete. Its statements are batched as `query` is. Nothing is written to the file system
   * until it ends, as with PGlite's.
   */
  override async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#transaction(null, callback);
  }

  /**
   * `query` in `schema`: the session's `search_path` is switched to it first when it points
   * elsewhere, inside the same exclusive section as the statement, so no other schema's statement
   * can come between (one engine shared by every subgraph, decision 0015).
   */
  async queryInSchema<T>(schema: string, sql: string, params: unknown[] = [], options?: QueryOptions) {
    if (!batchable(options)) throw new Error("typed parameters, custom serializers and blobs are not supported here");
    await this._checkReady();
    return this._runExclusiveTransaction(() => this.#statement<T>(sql, params, options, { syncToFs: true, schema }));
  }

  /** `exec` (statements without parameters) in `schema`, as {@link queryInSchema}. */
  async execInSchema(schema: string, sql: string): Promise<void> {
    await this._checkReady();
    await this._runExclusiveTransaction(() =>
      this._runExclusiveQuery(async () => {
        await this.#useSchema(schema);
        await this.execProtocolStream(serialize.query(sql), { syncToFs: true });
      }),
    );
  }

  /**
   * `transaction` in `schema`: the session's `search_path` is pointed at it in the same call as
   * BEGIN, and only when it points elsewhere (consecutive transactions of one subgraph need no
   * SET at all, where a `SET LOCAL` cost two calls each time). A `SET` made inside a transaction
   * is undone by its rollback, after which the path is no longer known.
   */
  async transactionInSchema<T>(schema: string, callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#transaction(schema, callback);
  }

  async #transaction<T>(schema: string | null, callback: (tx: Transaction) => Promise<T>): Promise<T> {
    await this._checkReady();
    return this._runExclusiveTransaction(async () => {
      let closed = false;
      const end = async (command: "COMMIT" | "ROLLBACK") => {
        closed = true;
        if (command === "ROLLBACK") this.#searchPath = null;
        await this.#simple(command);
      };
      const tx = this.#transactionObject(() => closed, end);
      const setPath = schema !== null && schema !== this.#searchPath;
      try {
        if (setPath) this.#searchPath = null; // unknown until the SET has run; a rollback forgets it again
        await this.#simple(setPath ? `BEGIN; SET search_path TO ${quoteIdent(schema)}` : "BEGIN");
        if (setPath) this.#searchPath = schema;
        const result = await callback(tx);
        if (!closed) await end("COMMIT");
        return result;
      } catch (error) {
        if (!closed) await end("ROLLBACK");
        // Whatever failed (the body, BEGIN, COMMIT), the transaction is rolled back, with its SET.
        this.#searchPath = null;
        throw error;
      }
    });
  }

  /** What a transaction's callback gets: PGlite's Transaction over the batched statements. */
  #transactionObject(isClosed: () => boolean, end: (command: "COMMIT" | "ROLLBACK") => Promise<void>): Transaction {
    const open = () => {
      if (isClosed()) throw new Error("Transaction is closed");
    };
    const query = async <R>(sql: string, params: unknown[] = [], options?: QueryOptions) => {
      open();
      if (options?.blob) throw new Error("COPY blobs are not supported in a transaction here");
      return this.#statement<R>(sql, params, options, { syncToFs: false });
    };
    return {
      query,
      sql: <R>(strings: TemplateStringsArray, ...values: unknown[]) => {
        const built = templateQuery(strings, ...values);
        return query<R>(built.query, built.params);
      },
      exec: async (sql: string) => {
        open();
        return this._runExclusiveQuery(async () => {
          try {
            return resultsOf(await this.#simpleMessages(sql), this.parsers);
          } catch (error) {
            throw withQuery(error, sql, [], undefined);
          }
        });
      },
      rollback: async () => {
        open();
        await end("ROLLBACK");
      },
      listen: async () => {
        throw new Error("LISTEN is not supported in a transaction here");
      },
      get closed() {
        return isClosed();
      },
    };
  }

  /** One simple query (no parameters), in one call into the engine: its ReadyForQuery ends it. */
  async #simple(sql: string): Promise<void> {
    await this._runExclusiveQuery(() => this.#simpleMessages(sql));
  }

  /** Call inside the query lock. */
  #simpleMessages(sql: string) {
    return this.execProtocolStream(serialize.query(sql), { syncToFs: false });
  }

  /** Points the session's `search_path` at `schema` unless it already is. Call inside the query lock. */
  async #useSchema(schema: string): Promise<void> {
    if (this.#searchPath === schema) return;
    this.#searchPath = null; // unknown until the SET has succeeded
    await this.execProtocolStream(serialize.query(`SET search_path TO ${quoteIdent(schema)}`), { syncToFs: false });
    this.#searchPath = schema;
  }

  #statement<T>(
    sql: string,
    params: unknown[],
    options: QueryOptions | undefined,
    { syncToFs, schema }: { syncToFs: boolean; schema?: string },
  ) {
    return this._runExclusiveQuery(async () => {
      if (schema !== undefined) await this.#useSchema(schema);
      const results = await this.#run(sql, params, options);
      if (syncToFs) await this.syncToFs();
      return resultOf<T>(results, this.parsers, options);
    });
  }

  async #run(sql: string, params: unknown[], options: QueryOptions | undefined) {
    const protocolOptions = { ...options, syncToFs: false };
    // Typed parameters (in a transaction only) are parsed with their types and not remembered.
    const typed = options?.paramTypes;
    const parseMessage = serialize.parse({ text: sql, types: typed });
    let parameterTypes = typed ? undefined : this.#parameterTypes.get(sql);
    let batch = [parseMessage];
    if (!parameterTypes) {
      try {
        parameterTypes = parse.parseDescribeStatementResults(
          await this.execProtocolStream(concat([parseMessage, serialize.describe({ type: "S" })]), protocolOptions),
        );
      } catch (error) {
        // Without a Sync after it, a failed Parse leaves the engine skipping every message until one comes.
        await this.execProtocolStream(serialize.sync(), { syncToFs: false, throwOnError: false });
        throw withQuery(error, sql, params, options);
      }
      if (!typed) this.#remember(sql, parameterTypes);
      batch = [];
    }
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = options?.serializers?.[parameterTypes[i]!] ?? this.serializers[parameterTypes[i]!];
      return serializer ? serializer(value) : (value as { toString(): string }).toString();
    });
    batch.push(serialize.bind({ values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync());
    try {
      return await this.execProtocolStream(concat(batch), protocolOptions);
    } catch (error) {
      throw withQuery(error, sql, params, options); // the batch ended with its Sync: the engine is ready again
    }
  }

  #remember(sql: string, types: number[]): void {
    if (this.#parameterTypes.size >= PARAMETER_TYPES_CACHE_SIZE) {
      const oldest = this.#parameterTypes.keys().next().value;
      if (oldest !== undefined) this.#parameterTypes.delete(oldest);
    }
    this.#parameterTypes.set(sql, types);
  }
}

/** Whether PGlite's own path is needed: typed parameters, custom serializers, a COPY blob. */
function batchable(options: QueryOptions | undefined): boolean {
  return !options?.paramTypes && !options?.serializers && !options?.blob;
}

/** The results of a simple query's statements, one per statement, as PGlite's `exec` returns them. */
function resultsOf(
  backend: readonly messages.BackendMessage[],
  parsers: Record<number, (text: string, typeId?: number) => unknown>,
): Results[] {
  const results: Results[] = [];
  let start = 0;
  backend.forEach((message, i) => {
    if (!(message instanceof messages.CommandCompleteMessage)) return;
    results.push(resultOf(backend.slice(start, i + 1), parsers, undefined));
    start = i + 1;
  });
  return results;
}

/**
 * The result of one statement's messages, as PGlite's `parseResults` reads it, without its first
 * step: that copies the instance's whole parser table (over 300 entries) into a new object for
 * every result, which cost more than running a primary-key read in the engine.
 */
function resultOf<T>(
  backend: readonly messages.BackendMessage[],
  parsers: Record<number, (text: string, typeId?: number) => unknown>,
  options: QueryOptions | undefined,
): Results<T> {
  const own = options?.parsers;
  const value = (text: string | null, typeId: number): unknown => {
    if (text === null) return null;
    const parser = own?.[typeId] ?? parsers[typeId] ?? types.parsers[typeId];
    return parser ? parser(text, typeId) : text;
  };
  let fields: Array<{ name: string; dataTypeID: number }> = [];
  const rows: unknown[] = [];
  for (const message of backend) {
    if (message instanceof messages.RowDescriptionMessage) {
      fields = message.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID }));
    } else if (message instanceof messages.DataRowMessage) {
      const values = message.fields.map((text, i) => value(text, fields[i]!.dataTypeID));
      rows.push(
        options?.rowMode === "array" ? values : Object.fromEntries(fields.map((field, i) => [field.name, values[i]])),
      );
    } else if (message instanceof messages.CommandCompleteMessage) {
      return { rows: rows as T[], fields, affectedRows: affectedRowsOf(message.text) };
    }
  }
  return { rows: [], fields: [], affectedRows: 0 };
}

/** Rows a command tag reports: `INSERT 0 3`, `UPDATE 2`, … (0 for the others, as PGlite counts). */
function affectedRowsOf(tag: string): number {
  const [command, first, second] = tag.split(" ");
  if (command === "INSERT") return parseInt(second!, 10);
  if (command === "UPDATE" || command === "DELETE" || command === "COPY" || command === "MERGE")
    return parseInt(first!, 10);
  return 0;
}

/** A database error as PGlite's `query` throws it: with the statement, its parameters and options. */
function withQuery(error: unknown, query: string, params: unknown[], queryOptions: QueryOptions | undefined): unknown {
  return error instanceof messages.DatabaseError ? Object.assign(error, { query, params, queryOptions }) : error;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
