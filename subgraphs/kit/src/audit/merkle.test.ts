import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EMPTY_MERKLE_ROOT, MerkleTree, verifyInclusion } from "./merkle.ts";

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const entryHashes = (n: number) =>
  Array.from({ length: n }, (_, i) => createHash("sha256").update(`entry ${i}`).digest("hex"));

/** RFC 9162 §2.1.1's definition, recursively: the reference the level-by-level tree must match. */
function referenceRoot(hashes: readonly string[]): Buffer {
  if (hashes.length === 0) return sha256();
  if (hashes.length === 1) return sha256(Buffer.of(0), Buffer.from(hashes[0]!, "hex"));
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return sha256(Buffer.of(1), referenceRoot(hashes.slice(0, k)), referenceRoot(hashes.slice(k)));
}

describe("the Merkle tree over an audit chain", () => {
  it("has the root RFC 9162 defines, for 0 to 33 leaves", () => {
    expect(MerkleTree.of([]).root).toBe(EMPTY_MERKLE_ROOT);
    for (let n = 0; n <= 33; n++)
      expect(MerkleTree.of(entryHashes(n)).root, `size ${n}`).toBe(referenceRoot(entryHashes(n)).toString("hex"));
  });

  it("proves every leaf of every tree of 1 to 33 leaves, with at most ceil(log2 n) hashes", () => {
    for (let size = 1; size <= 33; size++) {
      const hashes = entryHashes(size);
      const tree = MerkleTree.of(hashes);
      hashes.forEach((entryHash, index) => {
        const path = tree.path(index);
        expect(path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyInclusion({ entryHash, index, size, path, root: tree.root }), `leaf ${index} of ${size}`).toBe(
          true,
        );
      });
    }
  });

  it("refuses a changed leaf, another index, a changed path or another root; the last leaf at another size", () => {
    for (let size = 1; size <= 33; size++) {
      const hashes = entryHashes(size);
      const tree = MerkleTree.of(hashes);
      hashes.forEach((entryHash, index) => {
        const path = tree.path(index);
        const proof = { entryHash, index, size, path, root: tree.root };
        const changed = (entryHash[0] === "0" ? "1" : "0") + entryHash.slice(1);
        expect(verifyInclusion({ ...proof, entryHash: changed })).toBe(false);
        if (size > 1) expect(verifyInclusion({ ...proof, index: (index + 1) % size })).toBe(false);
        // Away from the right edge a leaf's path is the same in a larger tree (the signed root
        // binds the size); the last leaf's is not.
        if (index === size - 1) expect(verifyInclusion({ ...proof, size: size + 1 })).toBe(false);
        if (path.length > 0) {
          const [first, ...rest] = path;
          expect(
            verifyInclusion({ ...proof, path: [(first![0] === "a" ? "b" : "a") + first!.slice(1), ...rest] }),
          ).toBe(false);
          expect(verifyInclusion({ ...proof, path: rest })).toBe(false);
        }
        expect(verifyInclusion({ ...proof, path: [...path, hashes[0]!] })).toBe(false);
        expect(verifyInclusion({ ...proof, root: MerkleTree.of(entryHashes(size + 1)).root })).toBe(false);
      });
    }
  });

  it("does not take an inner node for a leaf (the 0x00 / 0x01 prefixes)", () => {
    const tree = MerkleTree.of(entryHashes(4));
    // The left inner node of a 4-leaf tree is the first step of leaf 2's path.
    const innerNode = tree.path(2)[1]!;
    expect(
      verifyInclusion({ entryHash: innerNode, index: 0, size: 2, path: [tree.path(0)[1]!], root: tree.root }),
    ).toBe(false);
  });

  it("refuses malformed input instead of throwing", () => {
    const tree = MerkleTree.of(entryHashes(3));
    const proof = { entryHash: entryHashes(3)[0]!, index: 0, size: 3, path: tree.path(0), root: tree.root };
    expect(verifyInclusion(proof)).toBe(true);
    expect(verifyInclusion({ ...proof, entryHash: "not hex" })).toBe(false);
    expect(verifyInclusion({ ...proof, index: -1 })).toBe(false);
    expect(verifyInclusion({ ...proof, index: 3 })).toBe(false);
    expect(verifyInclusion({ ...proof, index: 0.5 })).toBe(false);
    expect(verifyInclusion({ ...proof, path: ["zz"] })).toBe(false);
    expect(() => tree.path(3)).toThrow(RangeError);
    expect(() => MerkleTree.of(["abc"])).toThrow(/not a SHA-256 hex hash/);
  });
});
