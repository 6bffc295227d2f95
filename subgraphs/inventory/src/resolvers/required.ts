/**
 * A reference the database guarantees (a foreign key) resolved through a loader: a miss is a
 * bug, not a user error, so it fails loudly (and is masked) instead of returning null.
 */
export async function required<T>(load: Promise<T | null>, what: string): Promise<T> {
  const found = await load;
  if (found === null) throw new Error(`missing ${what}`);
  return found;
}
