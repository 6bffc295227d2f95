import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";

/**
 * Abusive requests, generated: what an attacker, a broken integration or a fuzzer sends. Each is
 * a complete HTTP request; `as` says whose token it carries. None of them may change data: every
 * mutation here is either not allowed to its caller or refers to nothing that exists.
 */
export interface HostileRequest {
  name: string;
  as: "anonymous" | "viewer" | "admin";
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  /** A query string for GET. */
  search?: string;
}

/** Text that has broken servers: injections, bytes the database refuses, sizes, odd unicode. */
export const HOSTILE_STRINGS: ReadonlyArray<readonly [string, string]> = [
  ["sql-quote", "' OR '1'='1"],
  ["sql-drop", "x'); DROP TABLE lot; --"],
  ["sql-union", "1 UNION SELECT password_hash, email FROM app_user --"],
  ["sql-sleep", "'; SELECT pg_sleep(30); --"],
  ["sql-comment", "*/ SELECT 1 /*"],
  ["cypher-detach", "x'}) MATCH (n) DETACH DELETE n //"],
  ["cypher-call", "' CALL dbms.components() YIELD name RETURN name //"],
  ["nul", "lot\u0000code"],
  ["lone-high-surrogate", "lot\uD800"],
  ["lone-low-surrogate", "\uDC00lot"],
  ["rtl-override", "\u202Egnp.exe"],
  ["zero-width", "L\u200BO\u200BT"],
  ["combining", "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359"],
  ["emoji", "🥖🧁🍞"],
  ["path", "../../../../etc/passwd"],
  ["template", "${process.exit(1)}{{7*7}}<script>alert(1)</script>"],
  ["json", '{"$gt": ""}'],
  ["long-100k", "A".repeat(100_000)],
  ["uuid-like", "00000000-0000-4000-8000-00000000000g"],
  ["whitespace", " \t\n\r "],
];

/** The cases issue 14 named: bytes that reached the database as "Unexpected error.". */
export const BAD_SCALARS: ReadonlyArray<readonly [string, string, unknown]> = [
  ["year-0000", "DateTime", "0000-01-01T00:00:00Z"],
  ["year-10000", "DateTime", "+010000-01-01T00:00:00Z"],
  ["not-a-date", "DateTime", "2026-02-30T00:00:00Z"],
  ["numeric-overflow", "Decimal", "123456789012345678.5"],
  ["too-many-decimals", "Decimal", "1.1234567"],
  // Sent as the bare JSON number 1e309 (JSON.stringify would write null): see RAW_1E309.
  ["decimal-1e309", "Decimal", "__raw_1e309__"],
  ["decimal-exponent", "Decimal", "1e309"],
  ["decimal-nan", "Decimal", "NaN"],
  ["float-as-string", "Decimal", { value: 1 }],
];

/** A JSON string that request builders replace with the bare number 1e309 (Infinity once parsed). */
export const RAW_1E309 = '"__raw_1e309__"';

/** A valid-looking value of an input type; `text` for every String and ID reached. */
export function sampleValue(type: GraphQLInputType, text: string, depth = 0): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, text, depth);
  if (isListType(type)) return [sampleValue(type.ofType, text, depth)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    if (depth > 3) return null;
    const fields = Object.values(type.getFields());
    return Object.fromEntries(
      fields
        .filter((field) => isNonNullType(field.type) || isStringLike(field.type))
        .map((field) => [field.name, sampleValue(field.type, text, depth + 1)]),
    );
  }
  switch (getNamedType(type).name) {
    case "String":
    case "ID":
      return text;
    case "Int":
      return 1;
    case "Float":
      return 1.5;
    case "Boolean":
      return true;
    case "Decimal":
      return "1";
    case "DateTime":
      return "2026-11-21T08:30:00Z";
    case "JSON":
      return { text };
    default:
      return text;
  }
}

function isStringLike(type: GraphQLInputType): boolean {
  const name = getNamedType(type).name;
  return name === "String" || name === "ID";
}

/** Whether an argument reaches a String or ID (directly, in a list, or in an input object). */
function takesText(type: GraphQLInputType, depth = 0): boolean {
  const named = getNamedType(type);
  if (isScalarType(named)) return named.name === "String" || named.name === "ID";
  if (isInputObjectType(named) && depth < 4)
    return Object.values(named.getFields()).some((f) => takesText(f.type, depth + 1));
  return false;
}

/** Whether a required ID is somewhere in the arguments: a mutation naming nothing real is refused. */
function requiresId(args: readonly GraphQLArgument[]): boolean {
  const within = (type: GraphQLInputType, depth: number): boolean => {
    if (!isNonNullType(type)) return false;
    const inner = type.ofType;
    if (isListType(inner)) return false;
    const named = getNamedType(inner);
    if (isScalarType(named)) return named.name === "ID";
    if (isInputObjectType(named) && depth < 4)
      return Object.values(named.getFields()).some((f) => within(f.type, depth + 1));
    return false;
  };
  return args.some((arg) => within(arg.type, 0));
}

/** `__typename` under a field of a composite type: the least selection that makes the operation valid. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  return isLeafType(getNamedType(field.type)) ? "" : "{ __typename }";
}

export function operationFor(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>): string {
  const variables = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(", ");
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  return `${kind} Hostile${variables ? `(${variables})` : ""} { ${field.name}${args ? `(${args})` : ""} ${selectionOf(field)} }`;
}

function post(
  name: string,
  as: HostileRequest["as"],
  query: string,
  variables: Record<string, unknown> = {},
): HostileRequest {
  return { name, as, body: JSON.stringify({ query, variables }) };
}

/**
 * Every query and mutation field that takes text, with every hostile string in every String and
 * ID argument: queries as an administrator (reads may answer, never fail badly), mutations as a
 * viewer (refused for the role) and, where they need an existing ID, as an administrator (refused
 * for naming nothing).
 */
export function injectionRequests(schema: GraphQLSchema): HostileRequest[] {
  const requests: HostileRequest[] = [];
  const fieldsOf = (type: GraphQLObjectType | null | undefined) =>
    Object.values(type?.getFields() ?? {}).filter(
      (f) => !f.name.startsWith("_") && f.args.some((a) => takesText(a.type)),
    );
  for (const field of fieldsOf(schema.getQueryType())) {
    const query = operationFor("query", field);
    for (const [label, text] of HOSTILE_STRINGS) {
      requests.push(post(`query ${field.name} ${label}`, "admin", query, argsWith(field, text)));
    }
  }
  for (const field of fieldsOf(schema.getMutationType())) {
    const query = operationFor("mutation", field);
    for (const [label, text] of HOSTILE_STRINGS) {
      requests.push(post(`mutation ${field.name} ${label} (viewer)`, "viewer", query, argsWith(field, text)));
      if (requiresId(field.args) && field.name !== "login")
        requests.push(post(`mutation ${field.name} ${label} (admin)`, "admin", query, argsWith(field, text)));
    }
  }
  return requests;
}

function argsWith(field: GraphQLField<unknown, unknown>, text: string): Record<string, unknown> {
  return Object.fromEntries(
    field.args
      .filter((arg) => isNonNullType(arg.type) || takesText(arg.type))
      .map((arg) => [arg.name, sampleValue(arg.type, text)]),
  );
}

/** Operations built to exhaust: depth, aliases, directives, fragments, tokens, batches. */
export function bombRequests(): HostileRequest[] {
  const nested = (depth: number) =>
    `{ lots(first: 1) { edges { node { ${"location { parent { ".repeat(depth)}id${" } }".repeat(depth)} } } } }`;
  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: lots(first: 100) { totalCount }`).join(" ")} }`;
  const directives = (n: number) => `{ lots(first: 1) { totalCount ${"@include(if: true) ".repeat(n)} } }`;
  // Each fragment spreads the previous one twice: 2^n fields from a few lines.
  const fragmentBomb = (n: number) =>
    `query { lots(first: 1) { edges { node { ...F${n} } } } } fragment F0 on Lot { id code }\n` +
    Array.from({ length: n }, (_, i) => `fragment F${i + 1} on Lot { ...F${i} ...F${i} }`).join("\n");
  const fragmentCycle = `query { lots(first: 1) { edges { node { ...A } } } } fragment A on Lot { id ...B } fragment B on Lot { code ...A }`;
  const wideSelection = `{ lots(first: 100) { edges { node { ${"id code quantity status ".repeat(400)} } } } }`;
  const introspectionDeep = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }`;
  const requests: HostileRequest[] = [];
  for (const as of ["anonymous", "viewer", "admin"] as const) {
    for (const depth of [13, 30, 200]) requests.push(post(`depth ${depth}`, as, nested(depth)));
    for (const n of [31, 500, 5_000]) requests.push(post(`aliases ${n}`, as, aliases(n)));
    for (const n of [51, 1_000]) requests.push(post(`directives ${n}`, as, directives(n)));
    for (const n of [10, 30]) requests.push(post(`fragment bomb 2^${n}`, as, fragmentBomb(n)));
    requests.push(post("fragment cycle", as, fragmentCycle));
    requests.push(post("wide selection", as, wideSelection));
    requests.push(post("deep introspection", as, introspectionDeep));
    requests.push(post("unknown field", as, "{ lotz { id } }"));
    requests.push(post("syntax error", as, "{ lots { "));
    requests.push(
      post(
        "many tokens",
        as,
        `{ lots(first: 1) { totalCount } ${"# x\n".repeat(10)}${" ".repeat(100)}${"__typename ".repeat(6_000)} }`,
      ),
    );
    requests.push(
      post(
        "first from a variable",
        as,
        "query ($n: Int) { lots(first: $n) { edges { node { movements(first: $n) { totalCount } } } } }",
        { n: 100_000 },
      ),
    );
    requests.push(post("negative first", as, "{ lots(first: -5) { totalCount } }"));
    requests.push(post("int overflow", as, "{ lots(first: 99999999999) { totalCount } }"));
    requests.push(post("float 1e309", as, "{ lots(first: 1e309) { totalCount } }"));
    requests.push(post("wrong variable type", as, "query ($n: Int) { lots(first: $n) { totalCount } }", { n: "ten" }));
    requests.push(
      post("variable object for int", as, "query ($n: Int) { lots(first: $n) { totalCount } }", { n: { $gt: 0 } }),
    );
    requests.push(post("undeclared variable", as, "{ lots(first: $n) { totalCount } }", { n: 1 }));
    requests.push(post("two anonymous operations", as, "{ me { id } } { me { id } }"));
    // A valid subscription over HTTP is a server-sent event stream (the live layer's); these are not.
    requests.push(post("subscription to nothing", as, "subscription { lotChanged { nonexistent } }"));
    requests.push(post("subscription with a bad argument", as, "subscription { lotChanged(lotId: true) { id } }"));
  }
  return requests;
}

/** Requests broken below GraphQL: bodies, encodings, methods, sizes, headers. */
export function transportRequests(): HostileRequest[] {
  const requests: HostileRequest[] = [];
  const tenMegabytes = JSON.stringify({ query: "{ me { id } }", variables: { pad: "x".repeat(10 * 1024 * 1024) } });
  for (const as of ["anonymous", "admin"] as const) {
    requests.push({ name: "10 MB body", as, body: tenMegabytes });
    requests.push({ name: "3 MB query", as, body: JSON.stringify({ query: `{ ${"me { id } ".repeat(300_000)} }` }) });
    requests.push({ name: "malformed JSON", as, body: '{"query": "{ me { id } }"' });
    requests.push({
      name: "JSON array of 1000 operations",
      as,
      body: JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: "{ lots(first: 100) { totalCount } }" }))),
    });
    requests.push({ name: "query not a string", as, body: JSON.stringify({ query: { kind: "Document" } }) });
    requests.push({
      name: "variables not an object",
      as,
      body: JSON.stringify({ query: "{ me { id } }", variables: "x" }),
    });
    requests.push({
      name: "variables nested 5000 deep",
      as,
      body: `{"query":"{ me { id } }","variables":{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`,
    });
    requests.push({ name: "empty body", as, body: "" });
    requests.push({ name: "text/plain", as, body: "{ me { id } }", headers: { "content-type": "text/plain" } });
    requests.push({
      name: "form encoded",
      as,
      body: "query=%7B%20me%20%7B%20id%20%7D%20%7D",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    requests.push({
      name: "invalid UTF-8",
      as,
      body: Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString("latin1"),
    });
    requests.push({
      name: "mutation over GET",
      as,
      method: "GET",
      search: `?query=${encodeURIComponent('mutation { login(input: {email: "a@b.c", password: "x"}) { token } }')}`,
    });
    requests.push({ name: "GET without query", as, method: "GET", search: "?variables=%7B%7D" });
    requests.push({
      name: "unknown operationName",
      as,
      body: JSON.stringify({ query: "query A { me { id } }", operationName: "B" }),
    });
    requests.push({
      name: "huge header",
      as,
      body: JSON.stringify({ query: "{ me { id } }" }),
      headers: { "x-junk": "j".repeat(12_000) },
    });
    requests.push({
      name: "forged gateway proof",
      as,
      body: JSON.stringify({ query: "{ me { id } }" }),
      headers: { "x-lotgraph-gateway": "forged" },
    });
  }
  for (const token of [
    "Bearer ",
    "Bearer x.y.z",
    "Basic YWRtaW46YWRtaW4=",
    `Bearer ${"e".repeat(10_000)}`,
    "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
  ]) {
    requests.push({
      name: `authorization ${token.slice(0, 20)}`,
      as: "anonymous",
      body: JSON.stringify({ query: "{ me { id } }" }),
      headers: { authorization: token },
    });
  }
  return requests;
}
