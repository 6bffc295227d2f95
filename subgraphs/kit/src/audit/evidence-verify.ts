import { z } from "zod";
import { GENESIS_HASH, auditEntryHash } from "./entry-hash.ts";
import {
  EVIDENCE_FORMAT,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  auditFileName,
  sha256Hex,
  type EvidenceManifest,
  type ManifestChain,
  type ProvedAuditEntry,
} from "./evidence-format.ts";
import { keyFingerprint, normalizeFingerprint, verifySignedBytes } from "./evidence-signing.ts";
import { EMPTY_MERKLE_ROOT, verifyInclusion } from "./merkle.ts";

/** The key the bundle must be signed with, as the auditor got it from the plant. */
export interface ExpectedSigner {
  publicKeyPem?: string | null;
  fingerprint?: string | null;
}

/** What a verification found: every failure in words, and what was checked. */
export interface EvidenceReport {
  ok: boolean;
  /** One sentence per thing that does not verify, naming it. */
  failures: string[];
  /** Files whose SHA-256 matches the manifest. */
  verifiedFiles: number;
  /** Audit entries whose content, path and listing all check out. */
  verifiedEntries: number;
  chains: number;
  /** The fingerprint of the key that signed the manifest, when its key could be read. */
  signedBy: string | null;
  /** Whether the signer was compared with an expected key (and matched, unless a failure says otherwise). */
  signerCompared: boolean;
  recallCase: { id: string; number: string } | null;
  createdAt: string | null;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 hex hash");
const chainHead = { length: z.number().int().min(0), headHash: hex64.nullable(), merkleRoot: hex64 };
const manifestSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  recallCase: z.object({ id: z.string(), number: z.string() }),
  createdAt: z.string(),
  signingKey: z.object({ algorithm: z.literal("Ed25519"), publicKey: z.string(), fingerprint: z.string() }),
  chains: z.record(z.string(), z.object({ ...chainHead, entries: z.array(z.number().int().min(1)) })),
  files: z.record(z.string(), hex64),
});
const auditFileSchema = z.object({
  subgraph: z.string(),
  chain: z.object({ ...chainHead, headPath: z.array(hex64) }),
  // Entries are checked one by one, so a malformed one is named and the others still checked.
  entries: z.array(z.unknown()),
});
const entrySchema = z.object({
  seq: z.number().int().min(1),
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  reason: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prevHash: hex64,
  hash: hex64,
  path: z.array(hex64),
});

/**
 * Checks an evidence bundle offline (docs/evidence-bundle.md): the manifest's signature and key,
 * every file's SHA-256, and for every audit entry its hash recomputed from its content, its Merkle
 * path to its chain's signed root, and that the manifest lists it. Goes on after a failure, so
 * the report names everything that does not verify.
 */
export function verifyEvidence(files: ReadonlyMap<string, Uint8Array>, expected: ExpectedSigner = {}): EvidenceReport {
  const report: EvidenceReport = {
    ok: false,
    failures: [],
    verifiedFiles: 0,
    verifiedEntries: 0,
    chains: 0,
    signedBy: null,
    signerCompared: false,
    recallCase: null,
    createdAt: null,
  };
  const fail = (message: string): void => void report.failures.push(message);
  const manifestRaw = files.get(MANIFEST_FILE);
  if (!manifestRaw) {
    fail(`${MANIFEST_FILE} is missing: this is not a Lotgraph evidence bundle`);
    return report;
  }
  const manifest = parseJson(manifestRaw, manifestSchema);
  if (!manifest.ok) {
    fail(`${MANIFEST_FILE}: ${manifest.problem}`);
    return report;
  }
  report.recallCase = manifest.value.recallCase;
  report.createdAt = manifest.value.createdAt;
  checkSignature(manifestRaw, manifest.value, files.get(SIGNATURE_FILE), expected, report);
  checkFiles(manifest.value, files, report);
  for (const [subgraph, chain] of Object.entries(manifest.value.chains)) {
    report.chains++;
    checkChain(subgraph, chain, manifest.value, files, report);
  }
  report.ok = report.failures.length === 0;
  return report;
}

function checkSignature(
  raw: Uint8Array,
  manifest: EvidenceManifest,
  signature: Uint8Array | undefined,
  expected: ExpectedSigner,
  report: EvidenceReport,
): void {
  const fail = (message: string): void => void report.failures.push(message);
  const { publicKey, fingerprint } = manifest.signingKey;
  let actual: string;
  try {
    actual = keyFingerprint(publicKey);
  } catch {
    return fail(`${MANIFEST_FILE}: signingKey.publicKey is not an Ed25519 public key in PEM`);
  }
  report.signedBy = actual;
  if (fingerprint !== actual)
    fail(`${MANIFEST_FILE}: the fingerprint it states (${fingerprint}) is not its key's (${actual})`);
  if (!signature) fail(`${SIGNATURE_FILE} is missing: the manifest is not signed`);
  else if (!verifySignedBytes(raw, new TextDecoder().decode(signature), publicKey))
    fail(`manifest signature invalid: ${SIGNATURE_FILE} is not the signature of ${MANIFEST_FILE} by the key it names`);
  const wanted = expectedFingerprint(expected, fail);
  if (wanted === undefined) return;
  report.signerCompared = true;
  if (wanted !== actual) fail(`signed by key ${actual}, expected ${wanted}`);
}

/** The fingerprint the caller expects; undefined when none was given or it could not be read. */
function expectedFingerprint(expected: ExpectedSigner, fail: (message: string) => void): string | undefined {
  if (expected.publicKeyPem) {
    try {
      return keyFingerprint(expected.publicKeyPem);
    } catch {
      fail("the expected public key is not an Ed25519 public key in PEM");
      return undefined;
    }
  }
  if (expected.fingerprint) {
    const normalized = normalizeFingerprint(expected.fingerprint);
    if (normalized) return normalized;
    fail(`the expected fingerprint is not sha256: and 64 hex digits: ${expected.fingerprint}`);
  }
  return undefined;
}

function checkFiles(manifest: EvidenceManifest, files: ReadonlyMap<string, Uint8Array>, report: EvidenceReport): void {
  for (const [name, sha256] of Object.entries(manifest.files)) {
    const bytes = files.get(name);
    if (!bytes) report.failures.push(`file ${name} listed in the manifest is missing`);
    else if (sha256Hex(bytes) !== sha256) report.failures.push(`file ${name}: sha256 mismatch`);
    else report.verifiedFiles++;
  }
  for (const name of files.keys()) {
    if (name !== MANIFEST_FILE && name !== SIGNATURE_FILE && !(name in manifest.files))
      report.failures.push(`file ${name} is in the bundle but not listed in the manifest`);
  }
}

function checkChain(
  subgraph: string,
  chain: ManifestChain,
  manifest: EvidenceManifest,
  files: ReadonlyMap<string, Uint8Array>,
  report: EvidenceReport,
): void {
  const fail = (message: string): void => void report.failures.push(message);
  const name = auditFileName(subgraph);
  if (!(name in manifest.files)) return fail(`chain ${subgraph}: the manifest does not list its file ${name}`);
  const raw = files.get(name);
  // Its absence is already reported with the other files.
  if (!raw) return;
  const file = parseJson(raw, auditFileSchema);
  if (!file.ok) return fail(`file ${name}: ${file.problem}; none of its entries could be checked`);
  if (file.value.subgraph !== subgraph) fail(`file ${name}: it says it holds ${file.value.subgraph}'s entries`);
  const stated = file.value.chain;
  if (stated.length !== chain.length || stated.headHash !== chain.headHash || stated.merkleRoot !== chain.merkleRoot)
    fail(`chain ${subgraph}: ${name} states another length, head or root than the manifest`);
  if (chain.length === 0) {
    if (chain.headHash !== null || chain.merkleRoot !== EMPTY_MERKLE_ROOT)
      fail(`chain ${subgraph}: an empty chain has no head and the empty root`);
  } else if (
    chain.headHash === null ||
    !verifyInclusion({
      entryHash: chain.headHash,
      index: chain.length - 1,
      size: chain.length,
      path: stated.headPath,
      root: chain.merkleRoot,
    })
  ) {
    fail(`chain ${subgraph}: its head hash is not the last entry under the signed root`);
  }

  const listed = new Set(chain.entries);
  const seen = new Map<number, ProvedAuditEntry>();
  file.value.entries.forEach((raw, index) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const seq = (raw as { seq?: unknown } | null)?.seq;
      const label = typeof seq === "number" ? `${subgraph}#${seq}` : `${index + 1} of ${name}`;
      return fail(`audit entry ${label}: malformed (${describeIssue(parsed.error)})`);
    }
    const entry = parsed.data;
    const label = `audit entry ${subgraph}#${entry.seq}`;
    if (seen.has(entry.seq)) return fail(`${label}: appears twice in ${name}`);
    seen.set(entry.seq, entry);
    if (!listed.has(entry.seq)) return fail(`${label}: in ${name} but not listed in the manifest`);
    if (auditEntryHash(entry) !== entry.hash) return fail(`${label}: content does not match its hash`);
    const proof = { entryHash: entry.hash, index: entry.seq - 1, size: chain.length, path: entry.path };
    if (!verifyInclusion({ ...proof, root: chain.merkleRoot }))
      return fail(`${label}: not in the chain (path does not lead to the signed root)`);
    report.verifiedEntries++;
  });
  for (const seq of chain.entries) {
    if (!seen.has(seq)) fail(`audit entry ${subgraph}#${seq}: listed in the manifest but missing from ${name}`);
  }
  checkLinks(subgraph, seen, fail);
}

/** Where the bundle holds consecutive entries, each must name the one before it (and #1 the genesis). */
function checkLinks(subgraph: string, entries: ReadonlyMap<number, ProvedAuditEntry>, fail: (message: string) => void) {
  for (const [seq, entry] of entries) {
    const previous = seq === 1 ? GENESIS_HASH : entries.get(seq - 1)?.hash;
    if (previous !== undefined && entry.prevHash !== previous)
      fail(`audit entry ${subgraph}#${seq}: its link to the entry before it does not match`);
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseJson<T>(bytes: Uint8Array, schema: z.ZodType<T>): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problem: `not in the evidence format (${describeIssue(parsed.error)})` };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  return `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`;
}

/** The report in one line when it verified: what, how much, and by whose key. */
export function evidenceSummary(report: EvidenceReport): string {
  const what = report.recallCase ? ` of recall case ${report.recallCase.number}` : "";
  return (
    `verified ${report.verifiedFiles} files, ${report.verifiedEntries} audit entries in ${report.chains} chains` +
    `${what}, signed by ${report.signedBy ?? "an unreadable key"}`
  );
}
