import { createHash } from "node:crypto";

/**
 * Identifiers for EPCIS documents. Our data has no GS1 company prefix, so instead of GS1 keys
 * (GTIN, SGLN, ...) we use what EPCIS 2.0 allows for non-GS1 identification: HTTP URIs under one
 * base we control. Every segment is percent-encoded because codes are free text.
 */
export class EpcisIdentifiers {
  readonly #base: string;
  readonly #namespace: Buffer;

  constructor(identifierBase: string) {
    // A trailing slash would give `//` paths, and then two spellings of the same identifier.
    this.#base = identifierBase.replace(/\/+$/, "");
    // Event ids are namespaced by the base, so two deployments never mint the same event id.
    this.#namespace = uuidV5Bytes(URL_NAMESPACE, this.#base);
  }

  /** Lot-level class: every unit of one lot of one material (EPCIS `epcClass`). */
  lotClass(materialId: string, lotCode: string): string {
    return `${this.#base}/class/${seg(materialId)}/lot/${seg(lotCode)}`;
  }

  serial(serialId: string): string {
    return `${this.#base}/serial/${seg(serialId)}`;
  }

  location(locationId: string): string {
    return `${this.#base}/location/${seg(locationId)}`;
  }

  party(partyId: string): string {
    return `${this.#base}/party/${seg(partyId)}`;
  }

  run(runId: string): string {
    return `${this.#base}/run/${seg(runId)}`;
  }

  billOfLading(reference: string): string {
    return `${this.#base}/bol/${seg(reference)}`;
  }

  /** Namespace for our own JSON-LD extension terms (`lotgraph:supplierLotCode`). */
  vocabulary(): string {
    return `${this.#base}/voc/`;
  }

  /**
   * A deterministic `urn:uuid:` event id (RFC 9562 version 5) named after the source event.
   * Not a CBV 2.0 `ni:///sha-256` event hash: that one is defined by GS1's canonicalisation
   * algorithm, and a hash of our own canonical string labelled `?ver=CBV2.0` would fail any
   * receiver that recomputes it to detect duplicates.
   */
  eventId(sourceKey: string): string {
    return `urn:uuid:${formatUuid(uuidV5Bytes(this.#namespace, sourceKey))}`;
  }
}

function seg(value: string): string {
  return encodeURIComponent(value);
}

/** RFC 9562 §6.6 namespace ID for URLs. */
const URL_NAMESPACE = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");

function uuidV5Bytes(namespace: Buffer, name: string): Buffer {
  const bytes = createHash("sha1").update(namespace).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return bytes;
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
