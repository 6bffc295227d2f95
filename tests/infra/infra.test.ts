// Static checks of infra/: compose file, Dockerfiles, Kubernetes manifests.
// Paths are resolved from this module, never from the working directory.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { SERVICE_ENTRIES } from "@lotgraph/lotgraph/build";
import { APP_SERVICES, PORTS, SUBGRAPHS } from "./services.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const infraDir = path.join(repoRoot, "infra");
const k8sDir = path.join(infraDir, "k8s");
const composePath = path.join(infraDir, "compose.yaml");

type Obj = Record<string, unknown>;

const INFRA_SERVICES = ["postgres", "nats", "neo4j"] as const;
/** The metrics port of every Lotgraph service in containers (LOTGRAPH_METRICS_PORT; the chart's metrics.port). */
const METRICS_PORT = "9464";
const SECRET_NAME = /PASSWORD|SECRET|TOKEN/i;
/** A whole value that is a compose required-variable reference: ${VAR:?message}. */
const REQUIRED_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*):\?[^}]+\}$/;
/** `scheme://user:password@` anywhere in a string. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^@\s]*)@/gi;

const read = (file: string): string => readFileSync(file, "utf8");
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const asObj = (v: unknown, what: string): Obj => {
  if (!isObj(v)) throw new Error(`${what} is not a mapping`);
  return v;
};

function loadCompose(): { services: Record<string, Obj>; doc: Obj } {
  // compose supports YAML merge keys (<<); the yaml package needs them switched on.
  const doc = asObj(parse(read(composePath), { merge: true }), "compose.yaml");
  const services = asObj(doc["services"], "services") as Record<string, Obj>;
  return { services, doc };
}

/** environment: as a map, from either compose form (map or KEY=VALUE list). */
function envOf(service: Obj): Record<string, string> {
  const env = service["environment"];
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf("=");
        return eq < 0 ? [text, ""] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asObj(env, "environment")).map(([k, v]) => [k, String(v)]));
}

function dependsOn(service: Obj): Record<string, Obj | null> {
  const deps = service["depends_on"];
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [String(d), null]));
  return Object.fromEntries(Object.entries(asObj(deps, "depends_on")).map(([k, v]) => [k, isObj(v) ? v : null]));
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (isObj(value)) for (const v of Object.values(value)) yield* strings(v);
}

// ------------------------------------------------------------------------------ Dockerfiles

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}
interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (current === "" && /^\s*#/.test(line)) continue; // comments / parser directives
    if (current !== "" && /^\s*#/.test(line)) continue; // comment inside a continuation
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    current += line;
    if (current.trim() !== "") logical.push(current.trim());
    current = "";
  }
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const op = match[1]!.toUpperCase();
    const args = match[2] ?? "";
    if (op === "FROM") {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      const image = (from?.[1] ?? "").replace(/\$\{?(\w+)\}?/g, (_, name: string) => globalArgs[name] ?? "");
      stages.push({ name: from?.[2], from: image, instructions: [] });
    } else if (stages.length === 0) {
      if (op === "ARG") {
        const [name, value] = args.split("=", 2);
        globalArgs[name!.trim()] = (value ?? "").trim();
      }
    } else {
      stages[stages.length - 1]!.instructions.push({ op, args });
    }
  }
  return { globalArgs, stages };
}

/** The stage and every stage it is built FROM, nearest first. */
function stageChain(file: Dockerfile, target: string): Stage[] {
  const chain: Stage[] = [];
  let stage = file.stages.find((s) => s.name === target);
  while (stage) {
    chain.push(stage);
    const base = stage.from;
    stage = file.stages.find((s) => s.name === base);
  }
  return chain;
}

/** Last value of an instruction along a stage chain (nearest stage wins). */
function lastInChain(chain: Stage[], op: string): string | undefined {
  for (const stage of chain) {
    const found = stage.instructions.filter((i) => i.op === op);
    if (found.length > 0) return found[found.length - 1]!.args;
  }
  return undefined;
}

function envInChain(chain: Stage[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const stage of [...chain].reverse()) {
    for (const i of stage.instructions.filter((x) => x.op === "ENV")) {
      for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
    }
  }
  return env;
}

function copySources(file: Dockerfile): string[] {
  const sources: string[] = [];
  for (const stage of file.stages) {
    for (const i of stage.instructions.filter((x) => x.op === "COPY")) {
      if (/--from=/.test(i.args)) continue;
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      sources.push(...parts.slice(0, -1));
    }
  }
  return sources;
}

const runs = (file: Dockerfile): string[] =>
  file.stages.flatMap((s) => s.instructions.filter((i) => i.op === "RUN").map((i) => i.args));

// ------------------------------------------------------------------------------ Kubernetes

interface K8sObject {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  raw: Obj;
}

function k8sYamlFiles(): string[] {
  return readdirSync(k8sDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

function loadK8s(): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const file of k8sYamlFiles()) {
    if (file === "kustomization.yaml") continue;
    for (const doc of parseAllDocuments(read(path.join(k8sDir, file)))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
      const raw = doc.toJS() as unknown;
      if (raw === null || raw === undefined) continue;
      const obj = asObj(raw, `${file} document`);
      const metadata = asObj(obj["metadata"], `${file} metadata`) as K8sObject["metadata"];
      objects.push({
        file,
        apiVersion: String(obj["apiVersion"]),
        kind: String(obj["kind"]),
        metadata,
        raw: obj,
      });
    }
  }
  return objects;
}

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: Obj }[];
  envFrom?: Obj[];
  readinessProbe?: { httpGet?: { path?: string; port?: string | number } };
  livenessProbe?: { httpGet?: { path?: string; port?: string | number } };
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
}

function podSpec(deployment: K8sObject): {
  labels: Record<string, string>;
  containers: Container[];
} {
  const spec = asObj(deployment.raw["spec"], "spec");
  const template = asObj(spec["template"], "template");
  const meta = asObj(template["metadata"], "template.metadata");
  const pod = asObj(template["spec"], "template.spec");
  return {
    labels: (meta["labels"] ?? {}) as Record<string, string>,
    containers: (pod["containers"] ?? []) as Container[],
  };
}

function hasTool(command: string, args: string[]): boolean {
  const probe = spawnSync(command, args, { encoding: "utf8", timeout: 20_000 });
  return probe.error === undefined && probe.status === 0;
}

// ================================================================================== compose

describe("infra/compose.yaml", () => {
  const { services } = loadCompose();

  it("defines the infrastructure, the five subgraphs, the gateway and the web app", () => {
    expect(Object.keys(services).sort()).toEqual([...INFRA_SERVICES, ...APP_SERVICES].sort());
    expect(String(services["postgres"]!["image"])).toMatch(/^postgres:15(\b|$)/);
    expect(String(services["nats"]!["image"])).toMatch(/^nats:2(\b|-|$)/);
    expect(String(services["neo4j"]!["image"])).toMatch(/^neo4j:5(\b|$)/);
  });

  it("gives every service a healthcheck", () => {
    for (const [name, service] of Object.entries(services)) {
      const hc = asObj(service["healthcheck"], `${name}.healthcheck`);
      expect(hc["disable"], name).not.toBe(true);
      const test = hc["test"];
      expect(Array.isArray(test) ? test.length : String(test ?? "").length, `${name} healthcheck test`).toBeGreaterThan(
        0,
      );
      expect(JSON.stringify(test), name).not.toMatch(/"NONE"/);
    }
    expect(JSON.stringify(services["postgres"]!["healthcheck"])).toContain("pg_isready");
    expect(JSON.stringify(services["nats"]!["healthcheck"])).toMatch(/8222\/healthz/);
    for (const name of APP_SERVICES) {
      expect(JSON.stringify(services[name]!["healthcheck"]), name).toMatch(/\/readyz|\/healthz/);
    }
  });

  it("runs NATS with JetStream, monitoring on 8222 and a data volume", () => {
    const nats = services["nats"]!;
    const command = Array.isArray(nats["command"]) ? nats["command"].map(String) : String(nats["command"]).split(/\s+/);
    expect(command.some((a) => a === "-js" || a === "--jetstream")).toBe(true);
    expect(command.join(" ")).toMatch(/(-m|--http_port) 8222/);
    const storeDir = command[command.findIndex((a) => a === "-sd" || a === "--store_dir") + 1];
    expect(storeDir).toBeTruthy();
    const volumes = (nats["volumes"] ?? []) as unknown[];
    expect(volumes.map(String).some((v) => v.endsWith(`:${storeDir}`))).toBe(true);
  });

  it("starts app services only after their dependencies are healthy", () => {
    const required: Record<string, string[]> = {
      ...Object.fromEntries(SUBGRAPHS.map((s) => [s, ["postgres", "nats"]])),
      traceability: ["postgres", "nats", "neo4j"],
      gateway: [...SUBGRAPHS],
      web: ["gateway"],
    };
    for (const name of APP_SERVICES) {
      const deps = dependsOn(services[name]!);
      for (const dep of required[name]!) expect(Object.keys(deps), `${name} depends_on`).toContain(dep);
      for (const [dep, spec] of Object.entries(deps)) {
        expect(services[dep], `${name} depends on unknown ${dep}`).toBeDefined();
        expect(spec?.["condition"], `${name} -> ${dep}`).toBe("service_healthy");
        expect(services[dep]!["healthcheck"], `${dep} needs a healthcheck`).toBeDefined();
      }
    }
  });

  it("holds no literal secret: secrets are required ${VAR:?...} references", () => {
    for (const [name, service] of Object.entries(services)) {
      const env = envOf(service);
      const build = isObj(service["build"]) ? service["build"] : {};
      const args = isObj(build["args"]) ? (build["args"] as Record<string, unknown>) : {};
      for (const [key, value] of [
        ...Object.entries(env),
        ...Object.entries(args).map(([k, v]) => [k, String(v)] as const),
      ]) {
        if (SECRET_NAME.test(key)) expect(value, `${name}.${key}`).toMatch(REQUIRED_REF);
        if (/AUTH/i.test(key)) expect(value, `${name}.${key}`).toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]+\}/);
      }
      // Credentials inside URLs (DATABASE_URL ...) must be required references too.
      for (const text of strings(service)) {
        for (const m of text.matchAll(URL_CREDENTIALS)) {
          expect(m[1], `${name}: credentials in ${text}`).toMatch(REQUIRED_REF);
        }
      }
    }
  });

  it("lists every required variable in infra/.env.example with an empty value", () => {
    // Values only (comments may show the syntax as an example).
    const { doc } = loadCompose();
    const requiredVars = new Set(
      [...strings(doc)].flatMap((text) => [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):\?/g)].map((m) => m[1]!)),
    );
    expect([...requiredVars].sort()).toEqual(
      expect.arrayContaining(["LOTGRAPH_JWT_SECRET", "NEO4J_PASSWORD", "POSTGRES_PASSWORD"]),
    );
    const example = read(path.join(infraDir, ".env.example"));
    const assignments = new Map(
      example
        .split("\n")
        .map((l) => /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!.trim()]),
    );
    for (const name of requiredVars) {
      expect(assignments.has(name), `.env.example lists ${name}`).toBe(true);
      expect(assignments.get(name), `${name} is empty in .env.example`).toBe("");
    }
    for (const [name, value] of assignments) if (SECRET_NAME.test(name)) expect(value, name).toBe("");
    expect(example).toContain("openssl rand -hex 32");
  });

  it("publishes only the gateway and the web app", () => {
    for (const [name, service] of Object.entries(services)) {
      const published = service["ports"] !== undefined;
      expect(published, name).toBe(name === "gateway" || name === "web");
    }
  });

  it("serves metrics of the gateway and every subgraph on their own port, unpublished", () => {
    for (const name of [...SUBGRAPHS, "gateway"]) {
      const env = envOf(services[name]!);
      expect(env["LOTGRAPH_METRICS_PORT"], name).toBe(METRICS_PORT);
      expect(env["LOTGRAPH_METRICS_HOST"], name).toBe("0.0.0.0");
      expect(JSON.stringify(services[name]!["ports"] ?? []), name).not.toContain(METRICS_PORT);
    }
  });

  it("wires each app service's PORT and the gateway's subgraph URLs consistently", () => {
    for (const name of APP_SERVICES) expect(envOf(services[name]!)["PORT"], name).toBe(String(PORTS[name]));
    const gatewayEnv = envOf(services["gateway"]!);
    for (const s of SUBGRAPHS) {
      expect(gatewayEnv[`${s.toUpperCase()}_URL`], s).toBe(`http://${s}:${PORTS[s]}/graphql`);
    }
    const traceEnv = envOf(services["traceability"]!);
    for (const key of ["NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "DATABASE_URL", "NATS_URL"]) {
      expect(traceEnv[key], key).toBeTruthy();
    }
    for (const name of [...SUBGRAPHS, "gateway"])
      expect(envOf(services[name]!)["LOTGRAPH_JWT_SECRET"], name).toBeTruthy();
    const webEnv = envOf(services["web"]!);
    expect(webEnv["GATEWAY_URL"]).toBe(`http://gateway:${PORTS.gateway}/graphql`);
    const webBuild = asObj(services["web"]!["build"], "web.build");
    expect(asObj(webBuild["args"], "web.build.args")["NEXT_PUBLIC_GATEWAY_URL"]).toBeTruthy();
  });
});

// ================================================================================ Dockerfiles

describe("infra/docker", () => {
  const { services } = loadCompose();
  const workspaces = (
    JSON.parse(read(path.join(repoRoot, "package.json"))) as {
      workspaces: string[];
    }
  ).workspaces;

  const builds = APP_SERVICES.map((name) => {
    const build = asObj(services[name]!["build"], `${name}.build`);
    const context = path.resolve(infraDir, String(build["context"] ?? "."));
    const dockerfile = path.resolve(context, String(build["dockerfile"] ?? "Dockerfile"));
    return {
      name,
      context,
      dockerfile,
      target: build["target"] as string | undefined,
    };
  });

  it("builds every app service from the repository root with an existing Dockerfile and ignore file", () => {
    for (const b of builds) {
      expect(b.context, b.name).toBe(repoRoot);
      expect(existsSync(b.dockerfile), `${b.name}: ${b.dockerfile}`).toBe(true);
      const ignore = `${b.dockerfile}.dockerignore`;
      expect(existsSync(ignore), `${b.name}: ${ignore}`).toBe(true);
      const patterns = read(ignore)
        .split("\n")
        .map((l) => l.trim());
      expect(patterns, ignore).toContain("**/node_modules");
      expect(
        patterns.some((p) => /\.env\b/.test(p) && !p.startsWith("!")),
        `${ignore} excludes .env`,
      ).toBe(true);
    }
  });

  for (const file of [...new Set(builds.map((b) => b.dockerfile))]) {
    const rel = path.relative(repoRoot, file);
    describe(rel, () => {
      const parsed = parseDockerfile(read(file));

      it("starts from node:20-bookworm-slim, installs with npm ci from the lockfile", () => {
        const external = parsed.stages.map((s) => s.from).filter((f) => !parsed.stages.some((s) => s.name === f));
        expect(new Set(external)).toEqual(new Set(["node:20-bookworm-slim"]));
        expect(runs(parsed).some((r) => /\bnpm ci\b/.test(r))).toBe(true);
        expect(copySources(parsed)).toContain("package-lock.json");
      });

      it("copies every workspace manifest before npm ci", () => {
        const sources = copySources(parsed);
        for (const ws of workspaces) expect(sources, ws).toContain(`${ws}/package.json`);
      });

      it("copies only files that exist in the repository", () => {
        for (const source of copySources(parsed)) {
          if (source === ".") continue;
          expect(existsSync(path.join(repoRoot, source)), source).toBe(true);
        }
      });
    });
  }

  for (const b of builds) {
    it(`${b.name}: runs as a non-root user, has a /healthz HEALTHCHECK and an existing entry`, () => {
      const parsed = parseDockerfile(read(b.dockerfile));
      const target = b.target ?? parsed.stages[parsed.stages.length - 1]!.name!;
      const chain = stageChain(parsed, target);
      expect(chain.length, `stage ${target} in ${b.dockerfile}`).toBeGreaterThan(0);

      const user = lastInChain(chain, "USER");
      expect(user, "USER").toBeDefined();
      expect(user!.split(":")[0], "USER").not.toMatch(/^(root|0)$/);
      expect(lastInChain(chain, "HEALTHCHECK"), "HEALTHCHECK").toMatch(/\/healthz/);

      const env = envInChain(chain);
      expect(env["PORT"], "image PORT").toBe(String(PORTS[b.name]));
      // The back-end servers also EXPOSE the metrics port the Helm chart gives them (metrics.port).
      expect(lastInChain(chain, "EXPOSE")).toBe(b.name === "web" ? "3000" : `${PORTS[b.name]} ${METRICS_PORT}`);
      if (b.name !== "web") {
        // The root file system is read-only in Kubernetes: whatever a server writes goes under /tmp.
        expect(env["LOTGRAPH_DATA_DIR"], "image LOTGRAPH_DATA_DIR").toMatch(/^\/tmp\//);
      }

      const cmd = JSON.parse(lastInChain(chain, "CMD") ?? "[]") as string[];
      expect(cmd.length, "CMD in exec form").toBeGreaterThan(0);
      if (b.name === "web") {
        expect(cmd.join(" ")).toMatch(/next start/);
        const web = JSON.parse(read(path.join(repoRoot, "web/package.json"))) as {
          scripts: Record<string, string>;
          dependencies: Record<string, string>;
        };
        expect(web.scripts["build"]).toBeTruthy();
        expect(web.scripts["start"]).toMatch(/next start/);
        expect(web.dependencies["next"]).toBeTruthy();
        expect(runs(parsed).some((r) => r.includes("npm run build -w @lotgraph/web"))).toBe(true);
      } else {
        // Services run their compiled bundle, which the build stage makes from the service's entry.
        const entries = cmd.filter((a) => /\.(ts|mts|js|mjs)$/.test(a) && !a.startsWith("/"));
        expect(entries).toEqual([`apps/lotgraph/dist/${b.name}.mjs`]);
        expect(runs(parsed).some((r) => r.includes("node apps/lotgraph/build.mjs"))).toBe(true);
        const source = b.name === "gateway" ? "gateway/src/index.ts" : `subgraphs/${b.name}/src/index.ts`;
        expect(SERVICE_ENTRIES[b.name as keyof typeof SERVICE_ENTRIES], `bundled entry of ${b.name}`).toBe(source);
        expect(existsSync(path.join(repoRoot, source)), `entry ${source}`).toBe(true);
      }
      // Scripts the entrypoint/healthcheck use from absolute paths come from COPYs in the file.
      expect(copySources(parsed)).toContain("infra/docker/healthcheck.mjs");
    });
  }
});

// ================================================================================ Kubernetes

describe("infra/k8s", () => {
  const objects = loadK8s();
  const deployments = objects.filter((o) => o.kind === "Deployment");

  it("kustomization lists exactly the manifests in the folder", () => {
    const kustomization = asObj(parse(read(path.join(k8sDir, "kustomization.yaml"))), "kustomization");
    const resources = (kustomization["resources"] as string[]).slice().sort();
    expect(resources).toEqual(k8sYamlFiles().filter((f) => f !== "kustomization.yaml"));
  });

  it("has a Deployment and a Service per app service, and no Secret values", () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APP_SERVICES].sort());
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    for (const d of deployments) {
      const { labels, containers } = podSpec(d);
      const service = objects.find((o) => o.kind === "Service" && o.metadata.name === d.metadata.name);
      expect(service, `Service ${d.metadata.name}`).toBeDefined();
      const spec = asObj(service!.raw["spec"], "service spec");
      const selector = asObj(spec["selector"], "selector") as Record<string, string>;
      for (const [k, v] of Object.entries(selector)) expect(labels[k], `${d.metadata.name} selector ${k}`).toBe(v);
      const portNames = new Set(containers.flatMap((c) => (c.ports ?? []).flatMap((p) => [p.name, p.containerPort])));
      for (const p of spec["ports"] as {
        port: number;
        targetPort: string | number;
      }[]) {
        expect(portNames.has(p.targetPort), `${d.metadata.name} targetPort ${p.targetPort}`).toBe(true);
        expect(p.port).toBe(PORTS[d.metadata.name as keyof typeof PORTS]);
      }
    }
  });

  it("gives every container readiness on /readyz, liveness on /healthz and resource limits", () => {
    for (const d of deployments) {
      const { containers } = podSpec(d);
      expect(containers.length, d.metadata.name).toBeGreaterThan(0);
      for (const c of containers) {
        const where = `${d.metadata.name}/${c.name}`;
        expect(c.readinessProbe?.httpGet?.path, `${where} readiness`).toBe("/readyz");
        expect(c.livenessProbe?.httpGet?.path, `${where} liveness`).toBe("/healthz");
        const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
        expect(ports.has(c.readinessProbe!.httpGet!.port!), `${where} readiness port`).toBe(true);
        expect(ports.has(c.livenessProbe!.httpGet!.port!), `${where} liveness port`).toBe(true);
        expect(c.resources?.limits?.["cpu"], `${where} cpu limit`).toBeTruthy();
        expect(c.resources?.limits?.["memory"], `${where} memory limit`).toBeTruthy();
        expect(c.resources?.requests?.["cpu"], `${where} cpu request`).toBeTruthy();
        expect(c.resources?.requests?.["memory"], `${where} memory request`).toBeTruthy();
        expect(c.image.split(":")[0], where).toBe(`lotgraph/${d.metadata.name}`);
        const port = (c.env ?? []).find((e) => e.name === "PORT")?.value;
        expect(port, `${where} PORT`).toBe(String(PORTS[d.metadata.name as keyof typeof PORTS]));
        expect((c.ports ?? []).map((p) => p.containerPort)).toContain(Number(port));
      }
    }
  });

  it("takes secrets from Secret references only and keeps them out of the ConfigMap", () => {
    for (const d of deployments) {
      for (const c of podSpec(d).containers) {
        for (const e of c.env ?? []) {
          if (SECRET_NAME.test(e.name) || e.name === "DATABASE_URL") {
            expect(e.value, `${d.metadata.name} ${e.name} has a literal value`).toBeUndefined();
            const ref = asObj(asObj(e.valueFrom, "valueFrom")["secretKeyRef"], `${e.name} secretKeyRef`);
            expect(ref["name"]).toBe("lotgraph-secrets");
          }
        }
      }
    }
    for (const cm of objects.filter((o) => o.kind === "ConfigMap")) {
      const data = (cm.raw["data"] ?? {}) as Record<string, string>;
      for (const [key, value] of Object.entries(data)) {
        expect(key, `ConfigMap ${cm.metadata.name}`).not.toMatch(SECRET_NAME);
        expect(value, `ConfigMap ${cm.metadata.name}.${key}`).not.toMatch(/:\/\/[^/\s:@]+:[^@\s]+@/);
      }
    }
    const needs = (name: string, key: string): boolean =>
      podSpec(deployments.find((d) => d.metadata.name === name)!).containers.some((c) =>
        (c.env ?? []).some((e) => e.name === key),
      );
    for (const s of SUBGRAPHS) expect(needs(s, "DATABASE_URL"), s).toBe(true);
    for (const s of [...SUBGRAPHS, "gateway"]) expect(needs(s, "LOTGRAPH_JWT_SECRET"), s).toBe(true);
    expect(needs("traceability", "NEO4J_PASSWORD")).toBe(true);
  });

  it("points the gateway's subgraph URLs at the Services", () => {
    const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "lotgraph-config");
    const data = (config?.raw["data"] ?? {}) as Record<string, string>;
    for (const s of SUBGRAPHS) expect(data[`${s.toUpperCase()}_URL`], s).toBe(`http://${s}:${PORTS[s]}/graphql`);
    for (const d of deployments) {
      for (const c of podSpec(d).containers) {
        const refs = (c.envFrom ?? []).map((e) => (isObj(e["configMapRef"]) ? e["configMapRef"]["name"] : undefined));
        expect(refs, d.metadata.name).toContain("lotgraph-config");
      }
    }
  });

  it("lets only the gateway and the subgraphs themselves reach a subgraph, and listen on the pod", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    const forSubgraphs = policies.find((p) => {
      const selector = asObj(asObj(p.raw["spec"], "spec")["podSelector"], "podSelector")["matchLabels"] as
        Record<string, string> | undefined;
      return selector?.["app.kubernetes.io/component"] === "subgraph";
    });
    expect(forSubgraphs, "a NetworkPolicy selecting the subgraphs").toBeDefined();
    const spec = asObj(forSubgraphs!.raw["spec"], "spec");
    expect(spec["policyTypes"]).toEqual(["Ingress"]);
    const from = (
      spec["ingress"] as Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }> }>
    ).flatMap((rule) => rule.from.map((peer) => peer.podSelector.matchLabels));
    expect(from).toEqual([{ "app.kubernetes.io/name": "gateway" }, { "app.kubernetes.io/component": "subgraph" }]);
    for (const name of SUBGRAPHS) {
      const { labels } = podSpec(deployments.find((d) => d.metadata.name === name)!);
      expect(labels["app.kubernetes.io/component"], name).toBe("subgraph");
    }
    const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "lotgraph-config");
    expect(((config?.raw["data"] ?? {}) as Record<string, string>)["LOTGRAPH_LISTEN_HOST"]).toBe("0.0.0.0");
  });

  it("exposes the gateway's and the subgraphs' metrics port to Prometheus only", () => {
    const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "lotgraph-config");
    const data = (config?.raw["data"] ?? {}) as Record<string, string>;
    expect(data["LOTGRAPH_METRICS_PORT"]).toBe(METRICS_PORT);
    expect(data["LOTGRAPH_METRICS_HOST"]).toBe("0.0.0.0");
    for (const name of [...SUBGRAPHS, "gateway"]) {
      const deployment = deployments.find((d) => d.metadata.name === name)!;
      const template = asObj(asObj(deployment.raw["spec"], "spec")["template"], "template");
      const annotations = asObj(asObj(template["metadata"], "metadata")["annotations"], `${name} annotations`);
      expect(annotations, name).toMatchObject({
        "prometheus.io/scrape": "true",
        "prometheus.io/port": METRICS_PORT,
        "prometheus.io/path": "/metrics",
      });
      const ports = podSpec(deployment).containers.flatMap((c) => c.ports ?? []);
      expect(ports, name).toContainEqual(
        expect.objectContaining({ name: "metrics", containerPort: Number(METRICS_PORT) }),
      );
    }
    const policy = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "metrics-from-monitoring");
    const ingress = asObj(policy?.raw["spec"], "metrics policy spec")["ingress"] as Array<{
      ports: Array<{ port: number }>;
    }>;
    expect(ingress.flatMap((rule) => rule.ports.map((p) => p.port))).toEqual([Number(METRICS_PORT)]);
  });

  it("autoscales the gateway", () => {
    const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler");
    expect(hpa?.apiVersion).toBe("autoscaling/v2");
    const spec = asObj(hpa!.raw["spec"], "hpa spec");
    expect(asObj(spec["scaleTargetRef"], "scaleTargetRef")).toMatchObject({
      kind: "Deployment",
      name: "gateway",
    });
    expect(Number(spec["minReplicas"])).toBeGreaterThanOrEqual(2);
    expect(Number(spec["maxReplicas"])).toBeGreaterThan(Number(spec["minReplicas"]));
  });

  const kubectl = hasTool("kubectl", ["version", "--client"]);
  it("renders with kubectl kustomize", (ctx) => {
    if (!kubectl) ctx.skip("kubectl is not installed here; the static checks above still ran");
    const out = spawnSync("kubectl", ["kustomize", k8sDir], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(out.status, out.stderr).toBe(0);
    const rendered = parseAllDocuments(out.stdout).map((d) => d.toJS() as Obj);
    const kinds = rendered.map((o) => String(o["kind"]));
    expect(kinds.filter((k) => k === "Deployment")).toHaveLength(APP_SERVICES.length);
    for (const o of rendered) {
      if (o["kind"] === "Namespace") continue;
      expect(asObj(o["metadata"], "metadata")["namespace"], String(o["kind"])).toBe("lotgraph");
    }
  });
});

// ============================================================================ docker compose

describe("docker compose config", () => {
  const compose = hasTool("docker", ["compose", "version"]);
  const required = ["LOTGRAPH_JWT_SECRET", "POSTGRES_PASSWORD", "NEO4J_PASSWORD", "LOTGRAPH_ADMIN_PASSWORD"];

  function runConfig(envFileText: string): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
    const dir = mkdtempSync(path.join(tmpdir(), "lotgraph-compose-"));
    try {
      const envFile = path.join(dir, "env");
      writeFileSync(envFile, envFileText);
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of required) delete env[name];
      return spawnSync("docker", ["compose", "-f", composePath, "--env-file", envFile, "config"], {
        encoding: "utf8",
        env,
        timeout: 60_000,
      }) as ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("accepts the file when the secrets are set", (ctx) => {
    if (!compose) ctx.skip("the docker compose plugin is not installed here (needs no daemon when present)");
    const out = runConfig(required.map((n) => `${n}=${"a".repeat(40)}`).join("\n") + "\n");
    expect(out.status, out.stderr).toBe(0);
    const rendered = asObj(parse(out.stdout), "rendered compose");
    expect(Object.keys(asObj(rendered["services"], "services")).sort()).toEqual(
      [...INFRA_SERVICES, ...APP_SERVICES].sort(),
    );
  });

  it("refuses to run without the secrets", (ctx) => {
    if (!compose) ctx.skip("the docker compose plugin is not installed here (needs no daemon when present)");
    const out = runConfig("");
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/LOTGRAPH_JWT_SECRET|POSTGRES_PASSWORD|NEO4J_PASSWORD|LOTGRAPH_ADMIN_PASSWORD/);
  });
});
