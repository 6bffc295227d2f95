/**
 * SQL identifiers of tables and schemas read from the catalogue (or a manifest): double-quoted
 * with embedded quotes doubled, so any name PostgreSQL accepts is safe to splice.
 */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${quoted(schema)}.${quoted(name)}`;
}
