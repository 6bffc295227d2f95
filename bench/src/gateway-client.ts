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
