import { describe, expect, it } from "vitest";
import { sampleEvidenceBundle } from "../testing/evidence-fixture.ts";
import { auditEntryHash } from "./entry-hash.ts";
import {
  MANIFEST_FILE,
  SIGNATURE_FILE,
  manifestBytes,
  packEvidence,
  unpackEvidence,
  type EvidenceManifest,
  type ProvedAuditEntry,
} from "./evidence-format.ts";
import { generateSigningKeyPair, keyFingerprint, signBytes } from "./evidence-signing.ts";
import { evidenceSummary, verifyEvidence } from "./evidence-verify.ts";

const key = generateSigningKeyPair();
const otherKey = generateSigningKeyPair();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const bundle = () => sampleEvidenceBundle(key);

/** The audit file of a subgraph, edited as JSON and written back. */
function editAudit(
  files: Map<string, Uint8Array>,
  subgraph: string,
  edit: (file: { entries: ProvedAuditEntry[] }) => void,
) {
  const name = `audit/${subgraph}.json`;
  const file = JSON.parse(decoder.decode(files.get(name)!)) as { entries: ProvedAuditEntry[] };
  edit(file);
  files.set(name, encoder.encode(`${JSON.stringify(file, null, 2)}\n`));
}

const manifestOf = (files: Map<string, Uint8Array>) =>
  JSON.parse(decoder.decode(files.get(MANIFEST_FILE)!)) as EvidenceManifest;

describe("verifying an evidence bundle offline", () => {
  it("accepts an untouched bundle, through a zip, and says what it checked and by whose key", () => {
    const files = unpackEvidence(packEvidence(bundle(), new Date("2026-03-02T10:00:00.000Z")));
    const report = verifyEvidence(files, { fingerprint: keyFingerprint(key.publicKeyPem).toUpperCase() });
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, verifiedFiles: 7, verifiedEntries: 7, chains: 4, signerCompared: true });
    expect(evidenceSummary(report)).toBe(
      `verified 7 files, 7 audit entries in 4 chains of recall case RC-2026-0001, signed by ${keyFingerprint(key.publicKeyPem)}`,
    );
    expect(verifyEvidence(files, { publicKeyPem: key.publicKeyPem }).ok).toBe(true);
  });

  it("names an audit entry changed by one byte", () => {
    const files = bundle();
    const name = "audit/inventory.json";
    const text = decoder.decode(files.get(name)!);
    // The actor's name of entry #4 only: "Alice" → "Alicf".
    const at = text.indexOf('"Alice"', text.indexOf('"seq": 4'));
    files.set(name, encoder.encode(`${text.slice(0, at + 5)}f${text.slice(at + 6)}`));
    expect(verifyEvidence(files).failures).toEqual([
      "file audit/inventory.json: sha256 mismatch",
      "audit entry inventory#4: content does not match its hash",
    ]);
  });

  it("names an entry removed from its audit file", () => {
    const files = bundle();
    editAudit(files, "quality", (file) => (file.entries = file.entries.filter((e) => e.seq !== 7)));
    expect(verifyEvidence(files).failures).toEqual([
      "file audit/quality.json: sha256 mismatch",
      "audit entry quality#7: listed in the manifest but missing from audit/quality.json",
    ]);
  });

  it("names an entry rewritten with a hash of its own: it is no longer in the signed chain", () => {
    const files = bundle();
    editAudit(files, "inventory", (file) => {
      const entry = file.entries.find((e) => e.seq === 4)!;
      entry.reason = "nothing to see";
      entry.hash = auditEntryHash(entry);
    });
    expect(verifyEvidence(files).failures).toEqual([
      "file audit/inventory.json: sha256 mismatch",
      "audit entry inventory#4: not in the chain (path does not lead to the signed root)",
      "audit entry inventory#5: its link to the entry before it does not match",
    ]);
  });

  it("names a file removed and a file slipped in", () => {
    const files = bundle();
    files.delete("fsma204.csv");
    files.set("extra.txt", encoder.encode("hello"));
    expect(verifyEvidence(files).failures).toEqual([
      "file fsma204.csv listed in the manifest is missing",
      "file extra.txt is in the bundle but not listed in the manifest",
    ]);
  });

  it("refuses a manifest signed with another key, and an edited manifest", () => {
    const resigned = bundle();
    resigned.set(SIGNATURE_FILE, encoder.encode(signBytes(resigned.get(MANIFEST_FILE)!, otherKey.privateKeyPem)));
    expect(verifyEvidence(resigned).failures).toEqual([
      "manifest signature invalid: manifest.sig is not the signature of manifest.json by the key it names",
    ]);

    const edited = bundle();
    const manifest = manifestOf(edited);
    manifest.recallCase.number = "RC-2026-0002";
    edited.set(MANIFEST_FILE, manifestBytes(manifest));
    expect(verifyEvidence(edited).failures).toEqual([
      "manifest signature invalid: manifest.sig is not the signature of manifest.json by the key it names",
    ]);

    const missing = bundle();
    missing.delete(SIGNATURE_FILE);
    expect(verifyEvidence(missing).failures).toEqual(["manifest.sig is missing: the manifest is not signed"]);
  });

  it("names the signer when the whole bundle was re-signed by another key than the one expected", () => {
    const files = bundle();
    const manifest = manifestOf(files);
    manifest.signingKey = {
      algorithm: "Ed25519",
      publicKey: otherKey.publicKeyPem,
      fingerprint: keyFingerprint(otherKey.publicKeyPem),
    };
    const bytes = manifestBytes(manifest);
    files.set(MANIFEST_FILE, bytes);
    files.set(SIGNATURE_FILE, encoder.encode(signBytes(bytes, otherKey.privateKeyPem)));
    // Consistent in itself: only the expected key tells it apart.
    expect(verifyEvidence(files).ok).toBe(true);
    expect(verifyEvidence(files).signerCompared).toBe(false);
    expect(verifyEvidence(files, { fingerprint: keyFingerprint(key.publicKeyPem) }).failures).toEqual([
      `signed by key ${keyFingerprint(otherKey.publicKeyPem)}, expected ${keyFingerprint(key.publicKeyPem)}`,
    ]);
    expect(verifyEvidence(files, { fingerprint: "not a fingerprint" }).failures).toEqual([
      "the expected fingerprint is not sha256: and 64 hex digits: not a fingerprint",
    ]);
  });

  it("takes nothing from a manifest edited to agree with forged entries: the signature fails and so do the paths", () => {
    const files = bundle();
    const manifest = manifestOf(files);
    manifest.chains.quality!.merkleRoot = "0".repeat(64);
    files.set(MANIFEST_FILE, manifestBytes(manifest));
    expect(verifyEvidence(files).failures).toEqual([
      "manifest signature invalid: manifest.sig is not the signature of manifest.json by the key it names",
      "chain quality: audit/quality.json states another length, head or root than the manifest",
      "chain quality: its head hash is not the last entry under the signed root",
      "audit entry quality#2: not in the chain (path does not lead to the signed root)",
      "audit entry quality#7: not in the chain (path does not lead to the signed root)",
    ]);
  });

  it("says so when there is no manifest or it is not one", () => {
    const files = bundle();
    files.delete(MANIFEST_FILE);
    expect(verifyEvidence(files).failures).toEqual([
      "manifest.json is missing: this is not a Lotgraph evidence bundle",
    ]);
    files.set(MANIFEST_FILE, encoder.encode('{"format":"something else"}'));
    expect(verifyEvidence(files).failures[0]).toMatch(/^manifest\.json: not in the evidence format \(format: /);
    expect(() => unpackEvidence(encoder.encode("not a zip"))).toThrow();
  });
});
