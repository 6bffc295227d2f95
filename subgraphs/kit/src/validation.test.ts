import { z } from "zod";
import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.ts";
import { code, id, idempotencyKey, optionalText, parseInput, reason, text } from "./validation.ts";

const receiveLot = z.object({
  code: z.string().min(1),
  quantity: z.string().regex(/^\d+(\.\d+)?$/, "must be a decimal"),
  lines: z.array(z.object({ sku: z.string().min(1) })).default([]),
});

describe("parseInput", () => {
  it("returns the parsed value, defaults applied", () => {
    expect(parseInput(receiveLot, { code: "L-1", quantity: "12.5" })).toEqual({
      code: "L-1",
      quantity: "12.5",
      lines: [],
    });
  });

  it("reports every invalid field at once as one BAD_USER_INPUT error", () => {
    let caught: unknown;
    try {
      parseInput(receiveLot, { code: "", quantity: "twelve", lines: [{ sku: "" }] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught instanceof DomainError ? caught : null;
    expect(error?.code).toBe("BAD_USER_INPUT");
    expect(error?.details.fields).toEqual([
      { field: "code", message: expect.any(String) },
      { field: "quantity", message: "must be a decimal" },
      { field: "lines.0.sku", message: expect.any(String) },
    ]);
    expect(error?.message).toMatch(/^invalid input: code: .+; quantity: must be a decimal; lines\.0\.sku: .+$/);
  });

  it("reports a problem with the input as a whole without a field name", () => {
    let caught: unknown;
    try {
      parseInput(receiveLot, "not an object");
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "BAD_USER_INPUT", details: { fields: [{ field: "" }] } });
    expect(caught instanceof DomainError && caught.message.startsWith("invalid input: ")).toBe(true);
    expect(caught instanceof DomainError && caught.message).not.toMatch(/^invalid input: :/);
  });
});

describe("input primitives", () => {
  const messages = (result: { error?: { issues: Array<{ message: string }> } }) =>
    result.error?.issues.map((issue) => issue.message);

  it("takes a UUID as an id and nothing else", () => {
    expect(id.parse("0b9d6c3e-4a57-4c4e-9f0a-2d1e5b7c8a90")).toBe("0b9d6c3e-4a57-4c4e-9f0a-2d1e5b7c8a90");
    expect(messages(id.safeParse("lot-1"))).toEqual(["not a valid id"]);
  });

  it("takes a scanner-friendly code up to its limit, trimmed", () => {
    expect(code().parse(" LOT-2026/01.a_b ")).toBe("LOT-2026/01.a_b");
    expect(messages(code().safeParse("lot 1"))).toEqual(["letters, digits and . _ - / only"]);
    expect(messages(code().safeParse("-lot"))).toEqual(["letters, digits and . _ - / only"]);
    expect(code(3).safeParse("ABCD").success).toBe(false);
    expect(code().safeParse("A".repeat(64)).success).toBe(true);
    expect(code().safeParse("A".repeat(65)).success).toBe(false);
  });

  it("requires text, trimmed, within its limit; optional text is null when blank", () => {
    expect(text().parse("  Acme  ")).toBe("Acme");
    expect(messages(text().safeParse("   "))).toEqual(["required"]);
    expect(text(5).safeParse("abcdef").success).toBe(false);
    expect(text().safeParse("a".repeat(200)).success).toBe(true);
    expect(optionalText().parse("  ")).toBeNull();
    expect(optionalText().parse(undefined)).toBeNull();
    expect(optionalText().parse(" note ")).toBe("note");
    expect(optionalText(3).safeParse("abcd").success).toBe(false);
  });

  it("requires a reason and lets an idempotency key be absent", () => {
    expect(messages(reason.safeParse(" "))).toEqual(["a reason is required"]);
    expect(reason.safeParse("r".repeat(501)).success).toBe(false);
    expect(idempotencyKey.parse(null)).toBeNull();
    expect(idempotencyKey.safeParse("").success).toBe(false);
    expect(idempotencyKey.safeParse("k".repeat(201)).success).toBe(false);
  });
});
