import { buildEpcisDocument } from "../exports/epcis.ts";
import type { TraceFacts } from "../exports/facts.ts";
import { buildFsma204Rows, toCsv } from "../exports/fsma204.ts";
import type { EvidenceCase, QualityEvidence } from "./evidence-ports.ts";
import type { CaseScope } from "./evidence-scope.ts";

/** The bundle's own files, before the audit files and the manifest (docs/evidence-bundle.md). */
export const EVIDENCE_FILES = {
  recallCase: "case.json",
  epcis: "epcis.json",
  fsma204: "fsma204.csv",
  decisions: "decisions.json",
  holds: "holds.json",
} as const;

export interface EvidenceFileInputs {
  recallCase: EvidenceCase;
  scope: CaseScope;
  /** The facts of every lot in scope, as a downstream trace from the source lots. */
  facts: TraceFacts;
  quality: QualityEvidence;
  createdAt: Date;
}

/**
 * The documents of a case's bundle: the case with its scope and notices, the GS1 EPCIS 2.0
 * document and the FSMA 204 spreadsheet of every lot in scope (one document when a supplier lot
 * code names several lots), the QC decisions, and the holds with their signatures.
 */
export function evidenceFiles(inputs: EvidenceFileInputs): Map<string, Uint8Array> {
  const { recallCase, scope, facts, quality, createdAt } = inputs;
  const codes = new Map(facts.lots.map((lot) => [lot.id, lot.code]));
  const lots = (ids: readonly string[]) => ids.map((id) => ({ id, code: codes.get(id) ?? null }));
  const { frozenLotIds: _frozen, notices, ...caseFields } = recallCase;
  const files = new Map<string, Uint8Array>();
  const json = (name: string, value: unknown) => files.set(name, encode(`${JSON.stringify(value, null, 2)}\n`));
  json(EVIDENCE_FILES.recallCase, {
    recallCase: caseFields,
    scope: {
      sourceLots: lots(scope.sourceLotIds),
      frozenLots: lots(scope.frozenLotIds),
      foundLaterLots: lots(scope.foundLaterLotIds),
    },
    notices,
  });
  json(EVIDENCE_FILES.epcis, buildEpcisDocument(facts, { creationDate: createdAt }));
  files.set(EVIDENCE_FILES.fsma204, encode(toCsv(buildFsma204Rows(facts))));
  json(EVIDENCE_FILES.decisions, { decisions: quality.decisions });
  json(EVIDENCE_FILES.holds, { holds: quality.holds, supplierHolds: quality.supplierHolds });
  return files;
}

const encoder = new TextEncoder();
const encode = (text: string) => encoder.encode(text);
