import { z } from "zod";
import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.ts";
import { parseInput } from "./validation.ts";

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
