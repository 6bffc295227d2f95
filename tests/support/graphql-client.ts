import { print, type DocumentNode } from "graphql";

export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

/**
 * A small client for tests that talk to a real server over HTTP. `expectData` fails with the
 * operation and the errors printed, so a red test says what went wrong.
 */
export class TestClient {
  constructor(
    readonly url: string,
    readonly token: string | null = null,
  ) {}

  as(token: string | null): TestClient {
    return new TestClient(this.url, token);
  }

  async request<T>(query: string | DocumentNode, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query: typeof query === "string" ? query : print(query), variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  }

  async expectData<T>(query: string | DocumentNode, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(
        `GraphQL operation failed\n--- operation\n${typeof query === "string" ? query : print(query)}\n--- variables\n${JSON.stringify(variables)}\n--- errors\n${JSON.stringify(result.errors, null, 2)}`,
      );
    }
    return result.data;
  }

  /** Runs the operation expecting exactly one error and returns its `extensions.code`. */
  async expectErrorCode(
    query: string | DocumentNode,
    variables: Record<string, unknown> = {},
  ): Promise<string | undefined> {
    const result = await this.request(query, variables);
    if (!result.errors?.length) {
      throw new Error(
        `expected an error, got data ${JSON.stringify(result.data)}\n--- operation\n${typeof query === "string" ? query : print(query)}`,
      );
    }
    return result.errors[0]?.extensions?.code;
  }

  async login(email: string, password: string): Promise<string> {
    const data = await this.expectData<{ login: { token: string } }>(
      `mutation Login($input: LoginInput!) { login(input: $input) { token } }`,
      { input: { email, password } },
    );
    return data.login.token;
  }
}
