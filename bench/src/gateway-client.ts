/**
 * A minimal GraphQL-over-HTTP caller for benchmarks: returns `data`, throws on any error, so a
 * benchmark never measures a failing request as a fast one.
 */
export function client(url: string) {
  return async <T>(token: string | null, query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!body.data || body.errors?.length) throw new Error(`bench request failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}

/**
 * `create(mutation, field, input)`: runs `mutation(input: …) { field { id } }` as `token` and
 * returns the id, e.g. `create("receiveLot", "lot", {...})` (the input type is `<Mutation>Input`).
 */
export function creator(gql: ReturnType<typeof client>, token: string) {
  return async (mutation: string, field: string, input: Record<string, unknown>): Promise<string> => {
    const type = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
    const data = await gql<Record<string, Record<string, { id: string }>>>(
      token,
      `mutation ($input: ${type}!) { ${mutation}(input: $input) { ${field} { id } } }`,
      { input },
    );
    return data[mutation]![field]!.id;
  };
}
