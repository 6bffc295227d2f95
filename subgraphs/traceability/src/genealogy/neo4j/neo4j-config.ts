import { z } from "zod";

/** Where the services-mode genealogy lives (DESIGN.md §2). */
export interface Neo4jConfig {
  uri: string;
  user: string;
  password: string;
  /**
   * The database every session names. Naming it spares the driver a home-database lookup per
   * session and keeps a cluster or Aura from routing a session to another database.
   */
  database: string;
}

const neo4jEnv = z.object({
  NEO4J_URI: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/\S+$/, "a neo4j:// or bolt:// URI"),
  NEO4J_USER: z.string().min(1),
  NEO4J_PASSWORD: z.string().min(1),
  NEO4J_DATABASE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9.-]{2,62}$/, "a Neo4j database name")
    .default("neo4j"),
});

/**
 * The Neo4j settings from the environment, or null when `NEO4J_URI` is unset (embedded mode).
 * Once the URI is set, user and password are required: no default credentials.
 */
export function loadNeo4jConfig(source: Record<string, string | undefined>): Neo4jConfig | null {
  if (!source.NEO4J_URI) return null;
  const env = neo4jEnv.parse(source);
  return { uri: env.NEO4J_URI, user: env.NEO4J_USER, password: env.NEO4J_PASSWORD, database: env.NEO4J_DATABASE };
}
