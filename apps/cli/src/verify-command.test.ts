import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeyPair, keyFingerprint, packEvidence } from "@lotgraph/kit/evidence";
import { sampleEvidenceBundle } from "@lotgraph/kit/testing";
import { main } from "./main.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The command as `npx lotgraph` finds it: the bin npm links from this package. */
const BIN = join(root, "node_modules", ".bin", "lotgraph");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function lotgraph(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(BIN, args, { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("lotgraph verify, the command line", () => {
  const key = generateSigningKeyPair();
  const other = generateSigningKeyPair();
  let dir: string;
  const zip = async (name: string, files: Map<string, Uint8Array>) => {
    const path = join(dir, name);
    await writeFile(path, packEvidence(files, new Date("2026-03-02T10:00:00.000Z")));
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lotgraph-verify-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("verifies a sound bundle: exit 0 and what it checked, against the expected key", async () => {
    const path = await zip("ok.zip", sampleEvidenceBundle(key));
    const keyFile = join(dir, "key.pem");
    await writeFile(keyFile, key.publicKeyPem);
    const fingerprint = keyFingerprint(key.publicKeyPem);

    const pinned = await lotgraph("verify", path, "--fingerprint", fingerprint);
    expect(pinned).toEqual({
      code: 0,
      stdout: `verified 7 files, 7 audit entries in 4 chains of recall case RC-2026-0001, signed by ${fingerprint}\n`,
      stderr: "",
    });
    expect((await lotgraph("verify", path, "--public-key", keyFile)).code).toBe(0);
    const unpinned = await lotgraph("verify", path);
    expect(unpinned.code).toBe(0);
    expect(unpinned.stdout).toMatch(/^verified 7 files.*\nnote: the signing key was not compared/);
  });

  it("names what does not verify: exit 1, one line per failure", async () => {
    const files = sampleEvidenceBundle(key);
    const name = "audit/inventory.json";
    const text = new TextDecoder().decode(files.get(name)!);
    const at = text.indexOf('"Alice"', text.indexOf('"seq": 4'));
    files.set(name, new TextEncoder().encode(`${text.slice(0, at + 5)}f${text.slice(at + 6)}`));
    files.delete("fsma204.csv");
    const path = await zip("tampered.zip", files);

    const run = await lotgraph("verify", path, "--fingerprint", keyFingerprint(other.publicKeyPem));
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")).toEqual([
      `FAILED signed by key ${keyFingerprint(key.publicKeyPem)}, expected ${keyFingerprint(other.publicKeyPem)}`,
      "FAILED file audit/inventory.json: sha256 mismatch",
      "FAILED file fsma204.csv listed in the manifest is missing",
      "FAILED audit entry inventory#4: content does not match its hash",
      `${path} does not verify: 4 problems`,
      "",
    ]);
  });

  it("refuses a usage error or an unreadable bundle with exit 2", async () => {
    // In process: the command itself, without a child per case.
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, {
        out: { write: (t: string) => out.push(t) },
        err: { write: (t: string) => err.push(t) },
      });
      return { code, stdout: out.join(""), stderr: err.join("") };
    };
    expect((await run("verify")).code).toBe(2);
    expect((await run("verify", "a.zip", "--fingerprint", "x", "--public-key", "k.pem")).code).toBe(2);
    expect((await run("verify", "a.zip", "--colour")).code).toBe(2);
    expect((await run("frobnicate")).stderr).toMatch(/^lotgraph: unknown command frobnicate\nusage: /);
    const notZip = join(dir, "not.zip");
    await writeFile(notZip, "hello");
    const unreadable = await run("verify", notZip);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^lotgraph verify: /);
    expect(unreadable.stdout).toBe("");
  });

  it("reaches no database code: the verification core imports node:crypto, fflate and zod only", async () => {
    const bare = new Set<string>();
    const seen = new Set<string>();
    const walk = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(file, "utf8");
      for (const [, spec] of source.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)) {
        if (spec!.startsWith(".")) await walk(resolve(dirname(file), spec!));
        else bare.add(spec!);
      }
    };
    await walk(join(root, "apps", "cli", "src", "main.ts"));
    expect([...bare].sort()).toEqual(["@lotgraph/kit/evidence", "node:fs/promises", "node:util"]);
    bare.clear();
    await walk(join(root, "subgraphs", "kit", "src", "audit", "evidence.ts"));
    expect([...bare].sort()).toEqual(["fflate", "node:crypto", "zod"]);
  });
});
