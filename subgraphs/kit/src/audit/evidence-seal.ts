import {
  EVIDENCE_FORMAT,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  auditFileName,
  manifestBytes,
  sha256Hex,
  type AuditEvidence,
  type AuditEvidenceFile,
  type EvidenceManifest,
  type ProvedAuditEntry,
} from "./evidence-format.ts";
import { keyFingerprint, signBytes, type SigningKeyPair } from "./evidence-signing.ts";

/** Everything a bundle holds before it is sealed. */
export interface EvidenceContents {
  recallCase: { id: string; number: string };
  createdAt: Date;
  /** The bundle's own files (documents, spreadsheets, JSON records) by name. */
  files: ReadonlyMap<string, Uint8Array>;
  /** Per subgraph: its chain and its proved entries, written to `audit/<subgraph>.json`. */
  audit: Readonly<Record<string, AuditEvidence>>;
}

/**
 * The bundle's files, sealed: the given files, one audit file per subgraph, the manifest naming
 * the SHA-256 of each and every chain's head and root, and the manifest's Ed25519 signature.
 */
export function sealEvidence(contents: EvidenceContents, key: SigningKeyPair): Map<string, Uint8Array> {
  const files = new Map(contents.files);
  const encoder = new TextEncoder();
  const chains: EvidenceManifest["chains"] = {};
  for (const [subgraph, evidence] of Object.entries(contents.audit)) {
    const name = auditFileName(subgraph);
    if (files.has(name)) throw new Error(`${name} is both a file and a subgraph's audit evidence`);
    const file: AuditEvidenceFile = { subgraph, chain: evidence.chain, entries: evidence.entries.map(inReadingOrder) };
    files.set(name, encoder.encode(`${JSON.stringify(file, null, 2)}\n`));
    const { headPath: _path, ...head } = evidence.chain;
    chains[subgraph] = { ...head, entries: evidence.entries.map((entry) => entry.seq) };
  }
  for (const reserved of [MANIFEST_FILE, SIGNATURE_FILE])
    if (files.has(reserved)) throw new Error(`${reserved} is the bundle's own`);
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    recallCase: contents.recallCase,
    createdAt: contents.createdAt.toISOString(),
    signingKey: { algorithm: "Ed25519", publicKey: key.publicKeyPem, fingerprint: keyFingerprint(key.publicKeyPem) },
    chains,
    files: Object.fromEntries(
      [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, bytes]) => [name, sha256Hex(bytes)]),
    ),
  };
  const signed = manifestBytes(manifest);
  files.set(MANIFEST_FILE, signed);
  files.set(SIGNATURE_FILE, encoder.encode(`${signBytes(signed, key.privateKeyPem)}\n`));
  return files;
}

/** An entry's fields in the order its hash takes them, then its hash and path: how a person reads it. */
function inReadingOrder(entry: ProvedAuditEntry): ProvedAuditEntry {
  const { seq, id, at, actor, action, entityType, entityId, reason, before, after, prevHash, hash, path } = entry;
  return { seq, id, at, actor, action, entityType, entityId, reason, before, after, prevHash, hash, path };
}
