import { createHash } from "node:crypto";
import { unzipSync, zipSync, type Zippable } from "fflate";
import type { HashedAuditContent } from "./entry-hash.ts";

/**
 * The evidence bundle of a recall case (docs/evidence-bundle.md, decision 0023): a zip of files,
 * each hashed in `manifest.json`, which the install's Ed25519 key signs in `manifest.sig`. The
 * audit entries in `audit/<subgraph>.json` carry what their hash is computed from and a Merkle
 * path to the root of their subgraph's whole chain at export time, which the manifest holds.
 */
export const EVIDENCE_FORMAT = "lotgraph-evidence/1";
export const MANIFEST_FILE = "manifest.json";
export const SIGNATURE_FILE = "manifest.sig";

/** Where a subgraph's proved audit entries are in the bundle. */
export const auditFileName = (subgraph: string): string => `audit/${subgraph}.json`;

/** A subgraph's chain when the bundle was made. */
export interface ChainHead {
  /** Entries in the chain (the highest seq). */
  length: number;
  /** The last entry's hash; null for an empty chain. */
  headHash: string | null;
  /** Root of the Merkle tree over every entry hash of the chain, in seq order (merkle.ts). */
  merkleRoot: string;
}

/** The manifest's record of a chain: its head and root, and the seqs of the entries the bundle proves. */
export interface ManifestChain extends ChainHead {
  entries: number[];
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  recallCase: { id: string; number: string };
  /** ISO 8601. */
  createdAt: string;
  signingKey: { algorithm: "Ed25519"; publicKey: string; fingerprint: string };
  /** Per subgraph. */
  chains: Record<string, ManifestChain>;
  /** Every file of the bundle but the manifest and its signature: name → SHA-256, hex. */
  files: Record<string, string>;
}

/** An audit entry as the bundle carries it: its hashed content, its hash and its inclusion path. */
export interface ProvedAuditEntry extends HashedAuditContent {
  reason: string | null;
  before: unknown;
  after: unknown;
  hash: string;
  /** Sibling hashes from the entry's leaf (index seq − 1) up to the chain's Merkle root. */
  path: string[];
}

/** `audit/<subgraph>.json`. */
export interface AuditEvidenceFile {
  subgraph: string;
  /** The chain as the manifest records it, and the path proving `headHash` is its last entry. */
  chain: ChainHead & { headPath: string[] };
  /** In seq order. */
  entries: ProvedAuditEntry[];
}

/** What a subgraph answers for an evidence request: its chain now and the entries asked for, proved. */
export interface AuditEvidence {
  chain: ChainHead & { headPath: string[] };
  entries: ProvedAuditEntry[];
}

/** SHA-256 of bytes, lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The manifest's exact bytes, the ones signed: indented JSON with a final newline. */
export function manifestBytes(manifest: EvidenceManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** A zip of the files, in name order, each dated `modifiedAt`. */
export function packEvidence(files: ReadonlyMap<string, Uint8Array>, modifiedAt: Date): Uint8Array {
  const zippable: Zippable = {};
  for (const name of [...files.keys()].sort()) zippable[name] = [files.get(name)!, { mtime: modifiedAt }];
  return zipSync(zippable, { level: 6 });
}

/** Largest file the verifier inflates: far beyond any case's bundle, well below a zip bomb's. */
export const MAX_EVIDENCE_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The files of a bundle by name (directory entries left out). Throws when the bytes are not a
 * zip or a file would inflate beyond {@link MAX_EVIDENCE_FILE_BYTES}.
 */
export function unpackEvidence(zip: Uint8Array): Map<string, Uint8Array> {
  const tooLarge: string[] = [];
  const files = unzipSync(zip, {
    filter: (file) => {
      if (file.originalSize > MAX_EVIDENCE_FILE_BYTES) tooLarge.push(file.name);
      return !file.name.endsWith("/") && file.originalSize <= MAX_EVIDENCE_FILE_BYTES;
    },
  });
  if (tooLarge.length) throw new Error(`the bundle holds files too large to be evidence: ${tooLarge.join(", ")}`);
  return new Map(Object.entries(files));
}
