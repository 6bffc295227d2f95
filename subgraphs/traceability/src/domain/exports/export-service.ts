import { badInput, isUuid, requireRole, type Principal } from "@lotgraph/kit";
import type { GenealogyStore, TraceDirection } from "../../genealogy/port/genealogy-store.ts";
import { buildEpcisDocument } from "./epcis.ts";
import type { EpcisDocument } from "./epcis-types.ts";
import { buildFsma204Rows, toCsv } from "./fsma204.ts";
import { gatherTraceFacts, type ExportFactsReads } from "./trace-facts.ts";

export interface TraceExportsDeps {
  genealogy: GenealogyStore;
  reads: ExportFactsReads;
  /** The clock of `creationDate` and of the spreadsheet's file name (tests pin it). */
  now?: () => Date;
}

/** A spreadsheet ready to send: its file name and RFC 4180 text. */
export interface Fsma204File {
  filename: string;
  csv: string;
}

/**
 * The standard exports of a trace (issue 4): GS1 EPCIS 2.0 and the FSMA 204 spreadsheet. They
 * hand a whole genealogy to someone outside the plant, so they need AUDITOR or MANAGER (ADMIN
 * implies both), not just any signed-in caller as `trace` does.
 */
export class TraceExports {
  readonly #now: () => Date;

  constructor(private readonly deps: TraceExportsDeps) {
    this.#now = deps.now ?? (() => new Date());
  }

  async epcisDocument(caller: Principal | null, lotId: string, direction: TraceDirection): Promise<EpcisDocument> {
    const facts = await this.#facts(caller, lotId, direction);
    return buildEpcisDocument(facts, { creationDate: this.#now() });
  }

  async fsma204(caller: Principal | null, lotId: string, direction: TraceDirection): Promise<Fsma204File> {
    const facts = await this.#facts(caller, lotId, direction);
    const root = facts.lots.find((lot) => lot.id === lotId);
    const date = this.#now().toISOString().slice(0, 10);
    return {
      filename: `fsma204-${safeFilePart(root?.code ?? lotId)}-${date}.csv`,
      csv: toCsv(buildFsma204Rows(facts)),
    };
  }

  async #facts(caller: Principal | null, lotId: string, direction: TraceDirection) {
    requireRole(caller, "AUDITOR", "MANAGER");
    if (!isUuid(lotId)) throw badInput("lotId", "lotId is not a lot id");
    return gatherTraceFacts(this.deps, lotId, direction);
  }
}

/** A lot code is free text; a header value and a file name need a tame subset of it. */
function safeFilePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "lot";
}
