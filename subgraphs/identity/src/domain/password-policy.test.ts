import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.ts";

describe("the password policy", () => {
  it("accepts a phrase of unrelated words", () => {
    expect(passwordProblem("copper kettle under rain")).toBeNull();
    expect(passwordProblem("Läuft-gut-am-Montag")).toBeNull();
  });

  it("refuses what is too short, and what bcrypt would silently cut", () => {
    expect(passwordProblem("short-one")).toMatch(/at least 12/);
    expect(passwordProblem("a".repeat(11) + "b")).toMatch(/repetitive/);
    expect(passwordProblem("word ".repeat(14) + "ok")).toBeNull(); // 72 bytes exactly
    expect(passwordProblem("word ".repeat(14) + "ok!")).toMatch(/72 bytes/);
    // 25 characters, 75 bytes: under any character limit, over bcrypt's.
    expect(passwordProblem("日本語のパスワードはとても長いですね、本当に長いよ")).toMatch(/72 bytes/);
  });

  it("refuses common passwords, and common words with digits or symbols added", () => {
    for (const password of ["qwertyuiop123", "password1234", "Password2026!", "iloveyou12345", "123456789012"]) {
      expect(passwordProblem(password), password).toMatch(/most common/);
    }
  });
});
