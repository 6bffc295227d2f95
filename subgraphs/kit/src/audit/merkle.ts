import { createHash } from "node:crypto";

/**
 * A Merkle tree over an audit chain's entry hashes in seq order, shaped as RFC 9162 §2.1
 * (Certificate Transparency) defines it, so an entry is proved in the chain by log2(n) hashes
 * instead of every later entry:
 * - a leaf is SHA-256(0x00 ‖ the entry's 32-byte hash), an inner node SHA-256(0x01 ‖ left ‖ right):
 *   the prefixes keep a leaf from ever passing for an inner node (second-preimage attacks);
 * - n leaves split at the largest power of two below n; built level by level, that is: pair the
 *   nodes left to right and carry an odd last node up unchanged (never duplicated);
 * - the root of no leaves is SHA-256 of nothing.
 * Hashes travel as lower-case hex. Depends on node:crypto alone (the offline verifier uses it).
 */

const HASH_BYTES = 32;
const HEX_HASH = /^[0-9a-f]{64}$/;

/** The root of an empty chain. */
export const EMPTY_MERKLE_ROOT = createHash("sha256").digest("hex");

/** A leaf of the tree: SHA-256(0x00 ‖ the entry hash's bytes). Throws on anything but 64 hex digits. */
export function merkleLeaf(entryHash: string): Buffer {
  if (!HEX_HASH.test(entryHash)) throw new Error(`not a SHA-256 hex hash: ${entryHash.slice(0, 80)}`);
  return createHash("sha256").update(Buffer.of(0x00)).update(Buffer.from(entryHash, "hex")).digest();
}

function merkleNode(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash("sha256").update(Buffer.of(0x01)).update(left).update(right).digest();
}

/** The whole tree, kept level by level (one contiguous buffer each) to answer many paths. */
export class MerkleTree {
  readonly #levels: Buffer[];

  private constructor(
    levels: Buffer[],
    /** How many leaves (entries). */
    readonly size: number,
  ) {
    this.#levels = levels;
  }

  /** Builds the tree of these entry hashes, in order (the first is leaf 0). */
  static of(entryHashes: readonly string[]): MerkleTree {
    const size = entryHashes.length;
    const leaves = Buffer.alloc(size * HASH_BYTES);
    entryHashes.forEach((hash, i) => merkleLeaf(hash).copy(leaves, i * HASH_BYTES));
    const levels = [leaves];
    for (let count = size; count > 1; count = Math.ceil(count / 2)) {
      const below = levels[levels.length - 1]!;
      const level = Buffer.alloc(Math.ceil(count / 2) * HASH_BYTES);
      for (let i = 0; i < count; i += 2) {
        const left = below.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
        // An odd last node is carried up as it is.
        const parent =
          i + 1 < count ? merkleNode(left, below.subarray((i + 1) * HASH_BYTES, (i + 2) * HASH_BYTES)) : left;
        parent.copy(level, (i / 2) * HASH_BYTES);
      }
      levels.push(level);
    }
    return new MerkleTree(levels, size);
  }

  /** The root, hex. */
  get root(): string {
    if (this.size === 0) return EMPTY_MERKLE_ROOT;
    return this.#levels[this.#levels.length - 1]!.toString("hex");
  }

  /** The inclusion path of leaf `index`: its siblings from the bottom up (RFC 9162 §2.1.3.1). */
  path(index: number): string[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new RangeError(`leaf ${index} is outside a tree of ${this.size}`);
    const path: string[] = [];
    let position = index;
    let count = this.size;
    for (const level of this.#levels) {
      if (count <= 1) break;
      const sibling = position ^ 1;
      if (sibling < count) path.push(level.subarray(sibling * HASH_BYTES, (sibling + 1) * HASH_BYTES).toString("hex"));
      position = Math.floor(position / 2);
      count = Math.ceil(count / 2);
    }
    return path;
  }
}

/** What proves that an entry hash is leaf `index` of the tree of `size` leaves whose root is `root`. */
export interface InclusionProof {
  entryHash: string;
  index: number;
  size: number;
  path: readonly string[];
  root: string;
}

/**
 * Whether the path leads from the entry hash, at its index, to the root: the verification
 * algorithm of RFC 9162 §2.1.3.2, written independently of the tree above (its tests check that
 * both agree for every index of trees of 1 to 33 leaves). False for anything malformed.
 */
export function verifyInclusion(proof: InclusionProof): boolean {
  const { index, size, path } = proof;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!HEX_HASH.test(proof.entryHash) || !HEX_HASH.test(proof.root) || !path.every((p) => HEX_HASH.test(p)))
    return false;
  let fn = index;
  let sn = size - 1;
  let hash: Buffer = merkleLeaf(proof.entryHash);
  for (const hex of path) {
    if (sn === 0) return false;
    const sibling = Buffer.from(hex, "hex");
    if (fn % 2 === 1 || fn === sn) {
      hash = merkleNode(sibling, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = merkleNode(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.toString("hex") === proof.root;
}
