// The Helm chart (infra/helm/lotgraph), linted and rendered by a real Helm: helm-java's native
// Helm library from Maven Central, driven by infra/helm-dev (docs/decisions/0027). The rendered
// manifests are validated offline against the Kubernetes schemas (kubernetes-models), checked for
// probes, resources and pod security, compared with compose and kustomize, and their
// NetworkPolicies evaluated pod to pod.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments, stringify } from "yaml";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { APP_SERVICES, BACKEND, PORTS, SUBGRAPHS, type AppService } from "./services.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const infraDir = path.join(repoRoot, "infra");
const chartDir = path.join(infraDir, "helm", "lotgraph");
const helmLauncher = path.join(infraDir, "helm-dev", "helm.sh");
const KUBE_VERSION = "1.30.0";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const asObj = (v: unknown, what: string): Obj => {
  if (!isObj(v)) throw new Error(`${what} is not a mapping`);
  return v;
};

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|DATABASE_URL|SIGNING_KEY/;

// ------------------------------------------------------------------------------ values

const SECRETS = {
  jwtSecret: "j".repeat(40),
  adminPassword: "admin-password-0123",
  databaseUrl: "postgres://lotgraph:db-pass@db.example.internal:5432/lotgraph",
  neo4jPassword: "neo4j-pass-0123",
};
/** The least a real install must give: secrets and the external NATS and Neo4j. */
const BASE_VALUES = {
  secrets: SECRETS,
  config: { natsUrl: "nats://nats.example.internal:4222", neo4jUri: "neo4j://neo4j.example.internal:7687" },
};
/** A trial: bundled dependencies, an Ingress with TLS, tracing, a ServiceMonitor, no HPA. */
const TRIAL_VALUES = {
  image: { tag: "1.2.3" },
  imagePullSecrets: [{ name: "registry" }],
  nodeSelector: { "kubernetes.io/os": "linux" },
  secrets: { jwtSecret: SECRETS.jwtSecret, adminPassword: SECRETS.adminPassword },
  postgresql: { enabled: true, auth: { password: "pg/pass:word" } },
  nats: { enabled: true },
  neo4j: { enabled: true, auth: { password: "neo4j-trial-pass" } },
  ingress: {
    enabled: true,
    className: "nginx",
    host: "lotgraph.plant.example",
    tls: { enabled: true, secretName: "lotgraph-tls" },
  },
  tracing: { otlpEndpoint: "http://otel-collector.observability:4318" },
  metrics: { port: 9100, serviceMonitor: { enabled: true } },
  gateway: {
    image: { repository: "registry.example/lotgraph/gateway", tag: "1.2.4" },
    autoscaling: { enabled: false },
  },
  networkPolicy: { publicFrom: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } }] },
};
/** Secrets managed outside the chart; metrics and NetworkPolicies off. */
const EXISTING_SECRET_VALUES = {
  fullnameOverride: "lg",
  secrets: { existingSecret: "plant-secrets" },
  config: BASE_VALUES.config,
  metrics: { enabled: false },
  networkPolicy: { enabled: false },
};

// ------------------------------------------------------------------------------ helm

interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}
type HelmCommand = string[];

/** Runs several commands in one JVM (helm.sh --next) and splits their outputs and exit codes. */
function runHelm(commands: HelmCommand[]): { results: HelmResult[]; raw: ReturnType<typeof spawnSync> } {
  const args = commands.flatMap((c, i) => (i === 0 ? c : ["--next", ...c]));
  const raw = spawnSync("bash", [helmLauncher, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 280_000,
  });
  const mark = /---- lotgraph-helm-dev exit (\d+) ----\n?/;
  const split = (text: string): { body: string; code: number }[] => {
    const parts: { body: string; code: number }[] = [];
    let rest = text;
    for (let m = mark.exec(rest); m; m = mark.exec(rest)) {
      parts.push({ body: rest.slice(0, m.index), code: Number(m[1]) });
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  };
  const out = split(String(raw.stdout));
  // Maven's and the JVM's own lines come before the first command's output on stderr.
  const err = split(String(raw.stderr));
  if (out.length !== commands.length || err.length !== commands.length) {
    throw new Error(`helm launcher gave ${out.length} results for ${commands.length} commands:\n${String(raw.stderr)}`);
  }
  return { results: out.map((o, i) => ({ code: o.code, stdout: o.body, stderr: err[i]!.body })), raw };
}

// ------------------------------------------------------------------------------ manifests

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Obj;
  data?: Record<string, string>;
  raw: Obj;
}
interface Probe {
  httpGet?: { path?: string; port?: string | number };
  tcpSocket?: { port?: string | number };
  exec?: { command?: string[] };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
    imagePullSecrets?: { name: string }[];
    nodeSelector?: Record<string, string>;
    volumes?: { name: string; emptyDir?: Obj }[];
  };
}

function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("; "));
    const raw = doc.toJS() as unknown;
    if (raw === null || raw === undefined) continue;
    const obj = asObj(raw, "rendered document");
    manifests.push({ ...(obj as unknown as Omit<Manifest, "raw">), raw: obj });
  }
  return manifests;
}

const byKind = (ms: Manifest[], kind: string): Manifest[] => ms.filter((m) => m.kind === kind);
function one(ms: Manifest[], kind: string, name: string): Manifest {
  const found = ms.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found)
    throw new Error(`${kind} ${name} not rendered; have ${ms.map((m) => `${m.kind}/${m.metadata.name}`).join(", ")}`);
  return found;
}
const podTemplate = (workload: Manifest): PodTemplate => asObj(workload.spec, "spec")["template"] as PodTemplate;
const workloads = (ms: Manifest[]): Manifest[] => ms.filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet");
const componentOf = (m: Manifest): string => m.metadata.labels?.["app.kubernetes.io/component"] ?? "";
function appContainer(ms: Manifest[], prefix: string, service: AppService): Container {
  return podTemplate(one(ms, "Deployment", `${prefix}-${service}`)).spec.containers[0]!;
}
const envMap = (c: Container): Map<string, NonNullable<Container["env"]>[number]> =>
  new Map((c.env ?? []).map((e) => [e.name, e]));

const MODELS: Record<string, new (data: Obj) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/** Every object against the Kubernetes API schema (kubernetes-models, offline); CRDs by shape. */
function expectValidKubernetes(ms: Manifest[]): void {
  for (const m of ms) {
    const where = `${m.kind}/${m.metadata.name}`;
    expect(m.metadata.name, where).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(m.metadata.name.length, where).toBeLessThanOrEqual(63);
    if (m.apiVersion === "monitoring.coreos.com/v1" && m.kind === "ServiceMonitor") {
      const endpoints = asObj(m.spec, where)["endpoints"] as { port?: string }[];
      expect(endpoints.length, where).toBeGreaterThan(0);
      continue;
    }
    const Model = MODELS[`${m.apiVersion}/${m.kind}`];
    expect(Model, `${where}: ${m.apiVersion} is a known, current API`).toBeDefined();
    expect(() => new Model!(m.raw).validate(), where).not.toThrow();
  }
}

/** Probes, resources and pod security on every container the chart runs. */
function expectHardenedWorkloads(ms: Manifest[]): void {
  for (const w of workloads(ms)) {
    const pod = podTemplate(w);
    const where = `${w.kind}/${w.metadata.name}`;
    expect(pod.spec.securityContext?.runAsNonRoot, `${where} runAsNonRoot`).toBe(true);
    expect(pod.spec.securityContext?.runAsUser, `${where} runAsUser`).toBeGreaterThan(0);
    expect(pod.spec.securityContext?.seccompProfile?.type, `${where} seccomp`).toBe("RuntimeDefault");
    expect((pod.spec as Obj)["automountServiceAccountToken"], `${where} no API token`).toBe(false);
    for (const c of pod.spec.containers) {
      const at = `${where} container ${c.name}`;
      expect(c.livenessProbe, `${at} liveness`).toBeDefined();
      expect(c.readinessProbe, `${at} readiness`).toBeDefined();
      for (const kind of ["requests", "limits"] as const) {
        expect(c.resources?.[kind]?.["cpu"], `${at} ${kind}.cpu`).toBeDefined();
        expect(c.resources?.[kind]?.["memory"], `${at} ${kind}.memory`).toBeDefined();
      }
      expect(c.securityContext?.allowPrivilegeEscalation, `${at} allowPrivilegeEscalation`).toBe(false);
      expect(c.securityContext?.capabilities?.drop, `${at} drops ALL`).toEqual(["ALL"]);
      if ((APP_SERVICES as readonly string[]).includes(componentOf(w))) {
        // Lotgraph's own images run with a read-only root; they write only to emptyDirs.
        expect(c.livenessProbe?.httpGet, at).toMatchObject({ path: "/healthz", port: "http" });
        expect(c.readinessProbe?.httpGet, at).toMatchObject({ path: "/readyz", port: "http" });
        expect(c.securityContext?.readOnlyRootFilesystem, `${at} read-only root`).toBe(true);
        const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
        for (const mount of c.volumeMounts ?? []) {
          expect(volumes.get(mount.name)?.emptyDir, `${at} ${mount.mountPath} is an emptyDir`).toBeDefined();
        }
        expect(
          c.volumeMounts?.map((m) => m.mountPath),
          at,
        ).toContain("/tmp");
      }
    }
  }
}

// ---------------------------------------------------------------------- NetworkPolicy evaluation

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string };
}
interface Rule {
  ports?: { port?: number | string; protocol?: string }[];
  from?: Peer[];
  to?: Peer[];
}
interface Policy {
  name: string;
  podSelector: Selector;
  policyTypes: string[];
  ingress?: Rule[];
  egress?: Rule[];
}
interface Pod {
  name: string;
  labels: Record<string, string>;
}

function selects(selector: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = labels[e.key];
    if (e.operator === "In" && !(value !== undefined && (e.values ?? []).includes(value))) return false;
    if (e.operator === "NotIn" && value !== undefined && (e.values ?? []).includes(value)) return false;
    if (e.operator === "Exists" && value === undefined) return false;
    if (e.operator === "DoesNotExist" && value !== undefined) return false;
  }
  return true;
}

/** Whether a peer admits a pod of the release's own namespace (namespace labels are unknown here). */
function peerAdmits(peer: Peer, pod: Pod): boolean {
  if (peer.ipBlock) return false; // pod IPs are not known statically
  if (peer.namespaceSelector) {
    const ns = peer.namespaceSelector;
    const anyNamespace = Object.keys(ns.matchLabels ?? {}).length === 0 && (ns.matchExpressions ?? []).length === 0;
    if (!anyNamespace) return false;
  }
  return peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
}

function ruleAdmits(rule: Rule, peers: Peer[] | undefined, other: Pod, port: number): boolean {
  const portOk =
    !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => p.port === undefined || p.port === port);
  return portOk && (!peers || peers.length === 0 || peers.some((p) => peerAdmits(p, other)));
}

/** Kubernetes semantics: a pod selected by no policy of a type is open in that direction. */
function allowed(policies: Policy[], src: Pod, dst: Pod, port: number): boolean {
  const ingress = policies.filter((p) => p.policyTypes.includes("Ingress") && selects(p.podSelector, dst.labels));
  const egress = policies.filter((p) => p.policyTypes.includes("Egress") && selects(p.podSelector, src.labels));
  const inOk =
    ingress.length === 0 || ingress.some((p) => (p.ingress ?? []).some((r) => ruleAdmits(r, r.from, src, port)));
  const outOk = egress.length === 0 || egress.some((p) => (p.egress ?? []).some((r) => ruleAdmits(r, r.to, dst, port)));
  return inOk && outOk;
}

/** Egress from a pod to an address outside the cluster's pods (an external database, DNS). */
function allowedOut(policies: Policy[], src: Pod, port: number): boolean {
  const egress = policies.filter((p) => p.policyTypes.includes("Egress") && selects(p.podSelector, src.labels));
  return (
    egress.length === 0 ||
    egress.some((p) =>
      (p.egress ?? []).some(
        (r) =>
          (!r.to || r.to.length === 0) && (!r.ports || r.ports.length === 0 || r.ports.some((x) => x.port === port)),
      ),
    )
  );
}

const policiesOf = (ms: Manifest[]): Policy[] =>
  byKind(ms, "NetworkPolicy").map((m) => ({ name: m.metadata.name, ...(m.spec as Omit<Policy, "name">) }));
const podsOf = (ms: Manifest[]): Map<string, Pod> =>
  new Map(
    workloads(ms).map((w) => [componentOf(w), { name: w.metadata.name, labels: podTemplate(w).metadata.labels }]),
  );

// ------------------------------------------------------------------------------ compose / kustomize

function composeEnv(): Record<string, Set<string>> {
  const doc = asObj(parse(readFileSync(path.join(infraDir, "compose.yaml"), "utf8"), { merge: true }), "compose");
  const services = asObj(doc["services"], "services");
  return Object.fromEntries(
    APP_SERVICES.map((s) => [s, new Set(Object.keys(asObj(asObj(services[s], s)["environment"], `${s}.environment`)))]),
  );
}

function kustomize(): { env: Record<string, Set<string>>; ports: Record<string, number> } {
  const dir = path.join(infraDir, "k8s");
  const ms = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .flatMap((f) => parseManifests(readFileSync(path.join(dir, f), "utf8")));
  const configKeys = Object.keys(one(ms, "ConfigMap", "lotgraph-config").data ?? {});
  const env: Record<string, Set<string>> = {};
  const ports: Record<string, number> = {};
  for (const s of APP_SERVICES) {
    const c = podTemplate(one(ms, "Deployment", s)).spec.containers[0]!;
    env[s] = new Set([...configKeys, ...(c.env ?? []).map((e) => e.name)]);
    ports[s] = c.ports!.find((p) => p.name === "http")!.containerPort;
  }
  return { env, ports };
}

// ================================================================================== the tests

describe("infra/helm/lotgraph (rendered by Helm through helm-java)", () => {
  const work = mkdtempSync(path.join(tmpdir(), "lotgraph-helm-"));
  const valuesFile = (name: string, values: Obj): string => {
    const file = path.join(work, `${name}.yaml`);
    writeFileSync(file, stringify(values));
    return file;
  };
  const template = (name: string, values: Obj, release = "lotgraph", namespace = "lotgraph"): HelmCommand => [
    "template",
    chartDir,
    "--name",
    release,
    "--namespace",
    namespace,
    "--kube-version",
    KUBE_VERSION,
    "-f",
    valuesFile(name, values),
  ];
  const without = (key: keyof typeof SECRETS): Obj => ({
    ...BASE_VALUES,
    secrets: Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== key)),
  });

  // A copy of the chart with a template that does not parse: lint must fail on it.
  const brokenChart = path.join(work, "broken", "lotgraph");
  cpSync(chartDir, brokenChart, { recursive: true });
  writeFileSync(
    path.join(brokenChart, "templates", "services.yaml"),
    readFileSync(path.join(chartDir, "templates", "services.yaml"), "utf8").replace("{{- end }}", "{{- end"),
  );

  const cases = {
    version: ["version"],
    lint: ["lint", chartDir, "--strict"],
    lintBroken: ["lint", brokenChart, "--strict"],
    base: template("base", BASE_VALUES),
    trial: template("trial", TRIAL_VALUES, "plant", "mes"),
    existing: template("existing", EXISTING_SECRET_VALUES),
    noValues: template("none", {}),
    noJwt: template("no-jwt", without("jwtSecret")),
    noAdmin: template("no-admin", without("adminPassword")),
    noDatabase: template("no-database", without("databaseUrl")),
    noNeo4j: template("no-neo4j", without("neo4jPassword")),
    noNats: template("no-nats", { ...BASE_VALUES, config: { neo4jUri: BASE_VALUES.config.neo4jUri } }),
    noPgPassword: template("no-pg", { ...TRIAL_VALUES, postgresql: { enabled: true } }),
    badValues: template("bad", {
      ...BASE_VALUES,
      gateway: { replicaCount: "two" },
      secrets: { ...SECRETS, jwtSecret: "too-short" },
    }),
    unknownKey: template("unknown", { ...BASE_VALUES, gatewy: { replicaCount: 3 } }),
  } satisfies Record<string, HelmCommand>;
  type Case = keyof typeof cases;
  let results: Record<Case, HelmResult>;
  let base: Manifest[];
  let trial: Manifest[];
  let existing: Manifest[];

  beforeAll(() => {
    try {
      const names = Object.keys(cases) as Case[];
      const { results: list } = runHelm(names.map((n) => cases[n]));
      results = Object.fromEntries(names.map((n, i) => [n, list[i]!])) as Record<Case, HelmResult>;
      const rendered = (c: Case): Manifest[] => {
        expect(results[c].code, `${c}: ${results[c].stderr}`).toBe(0);
        return parseManifests(results[c].stdout);
      };
      base = rendered("base");
      trial = rendered("trial");
      existing = rendered("existing");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    // The first run builds the launcher (Maven fetches helm-java into ~/.m2).
  }, 300_000);

  it("is Helm 3 and lints clean (--strict), and lint fails on a broken template", () => {
    expect(results.version.stdout.trim()).toMatch(/^v3\.\d+\.\d+/);
    expect(results.lint.code, results.lint.stdout + results.lint.stderr).toBe(0);
    expect(results.lint.stdout).toMatch(/lint: ok/);
    expect(results.lintBroken.code).toBe(1);
    expect(results.lintBroken.stdout).toMatch(/\[ERROR\] templates\/:.*services\.yaml/);
  });

  describe("secrets and addresses have no defaults", () => {
    const cases: [Case, RegExp][] = [
      ["noJwt", /secrets\.jwtSecret is required/],
      ["noAdmin", /secrets\.adminPassword is required/],
      ["noDatabase", /secrets\.databaseUrl is required/],
      ["noNeo4j", /secrets\.neo4jPassword is required/],
      ["noNats", /config\.natsUrl is required/],
      ["noPgPassword", /postgresql\.auth\.password is required/],
      ["noValues", /is required/],
    ];
    for (const [name, message] of cases) {
      it(`${name}: refuses to render, saying what is missing`, () => {
        expect(results[name].code).toBe(1);
        expect(results[name].stderr).toMatch(message);
        expect(results[name].stdout.trim()).toBe("");
      });
    }
  });

  it("checks values against values.schema.json", () => {
    expect(results.badValues.code).toBe(1);
    expect(results.badValues.stderr).toMatch(/\/gateway\/replicaCount.*want integer/);
    expect(results.badValues.stderr).toMatch(/\/secrets\/jwtSecret/);
    expect(results.unknownKey.code).toBe(1);
    expect(results.unknownKey.stderr).toMatch(/gatewy/);
  });

  describe("with the required values only", () => {
    it("renders a Deployment and a Service per service, config, secret, HPA and NetworkPolicies", () => {
      expect(
        byKind(base, "Deployment")
          .map((d) => d.metadata.name)
          .sort(),
      ).toEqual(APP_SERVICES.map((s) => `lotgraph-${s}`).sort());
      expect(
        byKind(base, "Service")
          .map((d) => d.metadata.name)
          .sort(),
      ).toEqual(APP_SERVICES.map((s) => `lotgraph-${s}`).sort());
      for (const kind of ["ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount"]) {
        expect(byKind(base, kind), kind).toHaveLength(1);
      }
      // Bundled dependencies, Ingress and ServiceMonitor are off by default.
      for (const kind of ["StatefulSet", "Ingress", "ServiceMonitor"]) expect(byKind(base, kind), kind).toHaveLength(0);
      expect(byKind(base, "NetworkPolicy").length).toBeGreaterThanOrEqual(6);
    });

    it("passes the Kubernetes API schemas", () => expectValidKubernetes(base));
    it("gives every container probes, resources and a non-root, locked-down security context", () =>
      expectHardenedWorkloads(base));

    it("uses the ports of compose and kustomize, and gives each Service its pods' port", () => {
      const k = kustomize();
      const compose = parse(readFileSync(path.join(infraDir, "compose.yaml"), "utf8"), { merge: true }) as {
        services: Record<string, { environment: Record<string, string> }>;
      };
      for (const s of APP_SERVICES) {
        const c = appContainer(base, "lotgraph", s);
        const http = c.ports?.find((p) => p.name === "http")?.containerPort;
        expect(http, s).toBe(PORTS[s]);
        expect(http, `${s} vs kustomize`).toBe(k.ports[s]);
        expect(String(http), `${s} vs compose PORT`).toBe(compose.services[s]!.environment["PORT"]);
        expect(envMap(c).get("PORT")?.value, s).toBe(String(PORTS[s]));
        expect(c.image, s).toBe(`lotgraph/${s}:0.1.0`);
        const svc = one(base, "Service", `lotgraph-${s}`);
        const ports = (svc.spec!["ports"] as { name: string; port: number; targetPort: string }[]).find(
          (p) => p.name === "http",
        );
        expect(ports, s).toMatchObject({ port: PORTS[s], targetPort: "http" });
        const selector = svc.spec!["selector"] as Record<string, string>;
        const pod = podTemplate(one(base, "Deployment", `lotgraph-${s}`));
        expect(selects({ matchLabels: selector }, pod.metadata.labels), `${s} Service selects its pods`).toBe(true);
        for (const other of APP_SERVICES.filter((o) => o !== s)) {
          const otherPod = podTemplate(one(base, "Deployment", `lotgraph-${other}`));
          expect(selects({ matchLabels: selector }, otherPod.metadata.labels), `${s} Service skips ${other}`).toBe(
            false,
          );
        }
      }
    });

    it("gives each service every setting compose and kustomize give it", () => {
      const config = one(base, "ConfigMap", "lotgraph-config");
      const configKeys = Object.keys(config.data ?? {});
      const sources = { compose: composeEnv(), kustomize: kustomize().env };
      for (const s of APP_SERVICES) {
        const c = appContainer(base, "lotgraph", s);
        expect(c.envFrom, s).toEqual([{ configMapRef: { name: "lotgraph-config" } }]);
        const chartEnv = new Set([...configKeys, ...(c.env ?? []).map((e) => e.name)]);
        for (const [source, env] of Object.entries(sources)) {
          // kustomize's shared ConfigMap hands the metrics settings to web too, which serves none.
          const meant = [...env[s]!].filter((name) => s !== "web" || !name.startsWith("LOTGRAPH_METRICS_"));
          const missing = meant.filter((name) => !chartEnv.has(name));
          expect(missing, `${s}: set by ${source}, not by the chart`).toEqual([]);
        }
      }
      // The gateway reaches each subgraph, and web the gateway, through the rendered Services.
      for (const s of [...SUBGRAPHS, "gateway"] as const) {
        const key = s === "gateway" ? "GATEWAY_URL" : `${s.toUpperCase()}_URL`;
        expect(config.data![key], key).toBe(`http://lotgraph-${s}:${PORTS[s]}/graphql`);
      }
      expect(config.data!["NATS_URL"]).toBe(BASE_VALUES.config.natsUrl);
      expect(config.data!["NEO4J_URI"]).toBe(BASE_VALUES.config.neo4jUri);
      expect(config.data!["LOTGRAPH_GATEWAY_URL"]).toBe("http://localhost:4000/graphql");
    });

    it("takes every secret from the Secret and keeps secrets out of the ConfigMap", () => {
      const secret = one(base, "Secret", "lotgraph-secrets");
      const decoded = Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
      );
      expect(decoded).toEqual({
        LOTGRAPH_JWT_SECRET: SECRETS.jwtSecret,
        LOTGRAPH_ADMIN_PASSWORD: SECRETS.adminPassword,
        DATABASE_URL: SECRETS.databaseUrl,
        NEO4J_PASSWORD: SECRETS.neo4jPassword,
      });
      const config = one(base, "ConfigMap", "lotgraph-config");
      for (const [key, value] of Object.entries(config.data ?? {})) {
        expect(key, "ConfigMap key").not.toMatch(SECRET_NAME);
        expect(value, key).not.toMatch(/:\/\/[^/\s:@]+:[^@\s]*@/);
        expect(Object.values(SECRETS), key).not.toContain(value);
      }
      for (const s of APP_SERVICES) {
        for (const e of appContainer(base, "lotgraph", s).env ?? []) {
          if (!SECRET_NAME.test(e.name)) continue;
          expect(e.value, `${s} ${e.name} is not inline`).toBeUndefined();
          const ref = e.valueFrom?.secretKeyRef;
          expect(ref?.name, `${s} ${e.name}`).toBe("lotgraph-secrets");
          if (!ref?.optional) expect(Object.keys(secret.data ?? {}), `${s} ${e.name}`).toContain(ref?.key);
        }
      }
      const expectSecrets: Record<AppService, string[]> = {
        identity: ["LOTGRAPH_JWT_SECRET", "DATABASE_URL", "LOTGRAPH_ADMIN_PASSWORD"],
        inventory: ["LOTGRAPH_JWT_SECRET", "DATABASE_URL"],
        production: ["LOTGRAPH_JWT_SECRET", "DATABASE_URL"],
        quality: ["LOTGRAPH_JWT_SECRET", "DATABASE_URL"],
        traceability: ["LOTGRAPH_JWT_SECRET", "DATABASE_URL", "NEO4J_PASSWORD", "LOTGRAPH_SIGNING_KEY"],
        gateway: ["LOTGRAPH_JWT_SECRET"],
        web: [],
      };
      for (const s of APP_SERVICES) {
        const names = (appContainer(base, "lotgraph", s).env ?? [])
          .filter((e) => e.valueFrom?.secretKeyRef)
          .map((e) => e.name);
        expect(names.sort(), s).toEqual([...expectSecrets[s]].sort());
      }
    });

    it("exposes metrics on a port of their own on every back-end server, not on web", () => {
      for (const s of APP_SERVICES) {
        const c = appContainer(base, "lotgraph", s);
        const pod = podTemplate(one(base, "Deployment", `lotgraph-${s}`));
        const svcPorts = one(base, "Service", `lotgraph-${s}`).spec!["ports"] as { name: string; port: number }[];
        const metricsPort = c.ports?.find((p) => p.name === "metrics")?.containerPort;
        if (s === "web") {
          expect(metricsPort).toBeUndefined();
          expect(envMap(c).has("LOTGRAPH_METRICS_PORT")).toBe(false);
          continue;
        }
        expect(metricsPort, s).toBe(9464);
        expect(envMap(c).get("LOTGRAPH_METRICS_PORT")?.value, s).toBe("9464");
        expect(svcPorts.find((p) => p.name === "metrics")?.port, s).toBe(9464);
        expect(pod.metadata.annotations, s).toMatchObject({
          "prometheus.io/scrape": "true",
          "prometheus.io/port": "9464",
          "prometheus.io/path": "/metrics",
        });
        // Tracing is off unless an endpoint is given.
        expect(
          [...envMap(c).keys()].filter((k) => k.startsWith("OTEL_")),
          s,
        ).toEqual([]);
      }
    });

    it("autoscales the gateway (autoscaling/v2) and leaves its replica count to the HPA", () => {
      const hpa = one(base, "HorizontalPodAutoscaler", "lotgraph-gateway");
      expect(hpa.apiVersion).toBe("autoscaling/v2");
      expect(hpa.spec!["scaleTargetRef"]).toEqual({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "lotgraph-gateway",
      });
      expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
      expect(one(base, "Deployment", "lotgraph-gateway").spec!["replicas"]).toBeUndefined();
      expect(one(base, "Deployment", "lotgraph-inventory").spec!["replicas"]).toBe(2);
    });

    it("NetworkPolicies: deny by default, select the pods they mean, and allow only Lotgraph's paths", () => {
      const policies = policiesOf(base);
      const pods = podsOf(base);
      const pod = (c: string): Pod => pods.get(c)!;
      const selected = (name: string): string[] =>
        [...pods.entries()]
          .filter(([, p]) => selects(policies.find((x) => x.name === name)!.podSelector, p.labels))
          .map(([c]) => c)
          .sort();
      expect(selected("lotgraph-default-deny")).toEqual([...APP_SERVICES].sort());
      expect(policies.find((p) => p.name === "lotgraph-default-deny")!.policyTypes.sort()).toEqual([
        "Egress",
        "Ingress",
      ]);
      expect(selected("lotgraph-gateway")).toEqual(["gateway"]);
      expect(selected("lotgraph-subgraphs")).toEqual([...SUBGRAPHS].sort());
      expect(selected("lotgraph-traceability")).toEqual(["traceability"]);
      expect(selected("lotgraph-web")).toEqual(["web"]);
      // Every pod selector inside a rule selects some pod of the release.
      for (const p of policies) {
        for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
          for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
            if (!peer.podSelector) continue;
            expect(
              [...pods.values()].some((x) => selects(peer.podSelector!, x.labels)),
              `${p.name}: ${JSON.stringify(peer)}`,
            ).toBe(true);
          }
        }
      }
      const outsider: Pod = { name: "someone-else", labels: { app: "other" } };
      expect(allowed(policies, outsider, pod("gateway"), 4000), "anyone -> gateway").toBe(true);
      expect(allowed(policies, outsider, pod("web"), 3000), "anyone -> web").toBe(true);
      expect(allowed(policies, pod("web"), pod("gateway"), 4000), "web -> gateway").toBe(true);
      for (const s of SUBGRAPHS) {
        expect(allowed(policies, pod("gateway"), pod(s), PORTS[s]), `gateway -> ${s}`).toBe(true);
        expect(allowed(policies, pod("quality"), pod(s), PORTS[s]), `quality -> ${s}`).toBe(true);
        expect(allowed(policies, outsider, pod(s), PORTS[s]), `outsider -> ${s}`).toBe(false);
        expect(allowed(policies, pod("web"), pod(s), PORTS[s]), `web -> ${s}`).toBe(false);
        expect(allowed(policies, pod("gateway"), pod(s), 5432), `gateway -> ${s} on another port`).toBe(false);
        expect(allowedOut(policies, pod(s), 5432), `${s} -> PostgreSQL`).toBe(true);
        expect(allowedOut(policies, pod(s), 4222), `${s} -> NATS`).toBe(true);
        expect(allowedOut(policies, pod(s), 53), `${s} -> DNS`).toBe(true);
        expect(allowed(policies, outsider, pod(s), 9464), `cluster -> ${s} metrics`).toBe(true);
      }
      expect(allowedOut(policies, pod("traceability"), 7687), "traceability -> Neo4j").toBe(true);
      expect(allowedOut(policies, pod("inventory"), 7687), "inventory -> Neo4j").toBe(false);
      expect(allowedOut(policies, pod("traceability"), 443), "traceability -> webhook subscribers").toBe(true);
      expect(allowedOut(policies, pod("inventory"), 443), "inventory -> the internet").toBe(false);
      expect(allowedOut(policies, pod("gateway"), 4222), "gateway -> NATS").toBe(true);
      expect(allowedOut(policies, pod("gateway"), 5432), "gateway -> PostgreSQL").toBe(false);
      expect(allowedOut(policies, pod("web"), 5432), "web -> PostgreSQL").toBe(false);
      expect(allowed(policies, pod("web"), pod("inventory"), 4002), "web -> inventory").toBe(false);
    });
  });

  describe("a trial: bundled dependencies, Ingress with TLS, tracing, ServiceMonitor, no HPA", () => {
    it("passes the Kubernetes API schemas and the hardening checks", () => {
      expectValidKubernetes(trial);
      expectHardenedWorkloads(trial);
      expect(
        byKind(trial, "StatefulSet")
          .map((s) => s.metadata.name)
          .sort(),
      ).toEqual(["plant-lotgraph-nats", "plant-lotgraph-neo4j", "plant-lotgraph-postgresql"]);
    });

    it("points Lotgraph at the bundled PostgreSQL, NATS and Neo4j", () => {
      const secret = one(trial, "Secret", "plant-lotgraph-secrets");
      const url = Buffer.from(secret.data!["DATABASE_URL"]!, "base64").toString("utf8");
      // The password is URL-escaped inside DATABASE_URL.
      expect(url).toBe("postgres://lotgraph:pg%2Fpass%3Aword@plant-lotgraph-postgresql:5432/lotgraph");
      expect(Buffer.from(secret.data!["NEO4J_PASSWORD"]!, "base64").toString("utf8")).toBe("neo4j-trial-pass");
      const config = one(trial, "ConfigMap", "plant-lotgraph-config").data!;
      expect(config["NATS_URL"]).toBe("nats://plant-lotgraph-nats:4222");
      expect(config["NEO4J_URI"]).toBe("bolt://plant-lotgraph-neo4j:7687");
      const port = (svc: string, name: string): number | undefined =>
        (one(trial, "Service", svc).spec!["ports"] as { name: string; port: number }[]).find((p) => p.name === name)
          ?.port;
      expect(port("plant-lotgraph-postgresql", "postgresql")).toBe(5432);
      expect(port("plant-lotgraph-nats", "client")).toBe(4222);
      expect(port("plant-lotgraph-neo4j", "bolt")).toBe(7687);
      const nats = podTemplate(one(trial, "StatefulSet", "plant-lotgraph-nats")).spec.containers[0]!;
      expect((nats as unknown as { args: string[] }).args).toEqual(expect.arrayContaining(["-js", "-sd", "/data"]));
    });

    it("routes /graphql to the gateway and the rest to web, and tells web the public URL", () => {
      const ingress = one(trial, "Ingress", "plant-lotgraph");
      expect(ingress.spec).toMatchObject({
        ingressClassName: "nginx",
        tls: [{ hosts: ["lotgraph.plant.example"], secretName: "lotgraph-tls" }],
      });
      const paths = (
        ingress.spec!["rules"] as { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[]
      )[0]!.http.paths.map((p) => [p.path, p.backend.service.name]);
      expect(paths).toEqual([
        ["/graphql", "plant-lotgraph-gateway"],
        ["/", "plant-lotgraph-web"],
      ]);
      expect(one(trial, "ConfigMap", "plant-lotgraph-config").data!["LOTGRAPH_GATEWAY_URL"]).toBe(
        "https://lotgraph.plant.example/graphql",
      );
    });

    it("sets tracing and metrics on every back-end server, with a ServiceMonitor", () => {
      for (const s of BACKEND) {
        const env = envMap(appContainer(trial, "plant-lotgraph", s));
        expect(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")?.value, s).toBe("http://otel-collector.observability:4318");
        expect(env.get("OTEL_SERVICE_NAME")?.value, s).toBe(`lotgraph-${s}`);
        expect(env.get("LOTGRAPH_METRICS_PORT")?.value, s).toBe("9100");
      }
      const monitor = one(trial, "ServiceMonitor", "plant-lotgraph");
      expect(monitor.spec!["endpoints"]).toEqual([expect.objectContaining({ port: "metrics", path: "/metrics" })]);
      // It selects exactly the back-end Services, each of which has a port named metrics.
      const scraped = byKind(trial, "Service").filter((svc) =>
        selects(monitor.spec!["selector"] as Selector, svc.metadata.labels ?? {}),
      );
      expect(scraped.map((svc) => svc.metadata.name).sort()).toEqual(BACKEND.map((b) => `plant-lotgraph-${b}`).sort());
      for (const svc of scraped) {
        expect((svc.spec!["ports"] as { name: string; port: number }[]).find((p) => p.name === "metrics")?.port).toBe(
          9100,
        );
      }
      const policies = policiesOf(trial);
      const pods = podsOf(trial);
      expect(allowedOut(policies, pods.get("inventory")!, 4318), "inventory -> OTLP collector").toBe(true);
    });

    it("lets only the right services reach the bundled dependencies", () => {
      const policies = policiesOf(trial);
      const pods = podsOf(trial);
      const pod = (c: string): Pod => pods.get(c)!;
      for (const s of SUBGRAPHS) {
        expect(allowed(policies, pod(s), pod("postgresql"), 5432), `${s} -> postgresql`).toBe(true);
        expect(allowed(policies, pod(s), pod("nats"), 4222), `${s} -> nats`).toBe(true);
      }
      expect(allowed(policies, pod("traceability"), pod("neo4j"), 7687)).toBe(true);
      expect(allowed(policies, pod("inventory"), pod("neo4j"), 7687)).toBe(false);
      expect(allowed(policies, pod("gateway"), pod("nats"), 4222)).toBe(true);
      expect(allowed(policies, pod("gateway"), pod("postgresql"), 5432)).toBe(false);
      expect(allowed(policies, pod("web"), pod("nats"), 4222)).toBe(false);
      // With publicFrom set, only that namespace's pods (unknown here) and web reach the gateway.
      const outsider: Pod = { name: "someone-else", labels: { app: "other" } };
      expect(allowed(policies, outsider, pod("gateway"), 4000)).toBe(false);
      expect(allowed(policies, pod("web"), pod("gateway"), 4000)).toBe(true);
    });

    it("uses the images, pull secrets and node selector given, and fixed replicas without the HPA", () => {
      expect(appContainer(trial, "plant-lotgraph", "gateway").image).toBe("registry.example/lotgraph/gateway:1.2.4");
      expect(appContainer(trial, "plant-lotgraph", "inventory").image).toBe("lotgraph/inventory:1.2.3");
      for (const w of workloads(trial)) {
        expect(podTemplate(w).spec.imagePullSecrets, w.metadata.name).toEqual([{ name: "registry" }]);
        expect(podTemplate(w).spec.nodeSelector, w.metadata.name).toEqual({ "kubernetes.io/os": "linux" });
      }
      expect(byKind(trial, "HorizontalPodAutoscaler")).toHaveLength(0);
      expect(one(trial, "Deployment", "plant-lotgraph-gateway").spec!["replicas"]).toBe(2);
    });
  });

  describe("with an existing Secret, metrics and NetworkPolicies off", () => {
    it("renders no Secret and refers every secret to the one given", () => {
      expectValidKubernetes(existing);
      expect(byKind(existing, "Secret")).toHaveLength(0);
      expect(byKind(existing, "NetworkPolicy")).toHaveLength(0);
      for (const s of APP_SERVICES) {
        const c = appContainer(existing, "lg", s);
        for (const e of c.env ?? []) {
          if (e.valueFrom?.secretKeyRef) expect(e.valueFrom.secretKeyRef.name, `${s} ${e.name}`).toBe("plant-secrets");
        }
        expect(
          c.ports?.map((p) => p.name),
          s,
        ).toEqual(["http"]);
        expect(envMap(c).has("LOTGRAPH_METRICS_PORT"), s).toBe(false);
      }
    });
  });
});
