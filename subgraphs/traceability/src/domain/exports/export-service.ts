import { badInput, isUuid, requireRole, type Principal } from "@lotgraph/kit";
import type { GenealogyStore, TraceDirection } from "../../genealogy/port/genealogy-store.ts";
import { buildEpcisDocument } from "./epcis.ts";
import type { EpcisDocument } from "./epcis-types.ts";
import { buildFsma204Rows, csvHeaderLine, csvRowLines, toCsv, type Fsma204Row } from "./fsma204.ts";
import { parseFsma204Query, type Fsma204Query } from "./fsma204-request.ts";
import { selectFsma204, type Fsma204Reads } from "./fsma204-selection.ts";
import { gatherTraceFacts, type ExportFactsReads } from "./trace-facts.ts";

export interface TraceExportsDeps {
  genealogy: GenealogyStore;
  reads: ExportFactsReads;
  /** The reads of the spreadsheet's other subjects: a supplier lot code, a product over time. */
  fsma204: Fsma204Reads;
  /** About how many events a product's spreadsheet reads at a time (tests make it small). */
  pageEvents?: number;
  /** The clock of `creationDate` and of the spreadsheet's file name (tests pin it). */
  now?: () => Date;
}

/** A spreadsheet ready to send: its file name and RFC 4180 text. */
export interface Fsma204File {
  filename: string;
  csv: string;
}

/** A spreadsheet sent in pieces (a product's year does not sit in memory): its name and its text. */
export interface Fsma204Download {
  filename: string;
  body: AsyncIterable<string>;
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

  /**
   * The spreadsheet the FDA asks for (`GET /exports/fsma204.csv`): of a lot's trace, of every lot
   * received under a supplier lot code and downstream, or of a product's events in a period (see
   * `parseFsma204Query`). The role is checked first, then the query (BAD_USER_INPUT naming the
   * parameter), then the subject (NOT_FOUND); rows are read as the body is consumed.
   */
  async fsma204Download(caller: Principal | null, query: Fsma204Query): Promise<Fsma204Download> {
    requireRole(caller, "AUDITOR", "MANAGER");
    const { subjectName, rows } = await selectFsma204(this.deps, parseFsma204Query(query));
    const date = this.#now().toISOString().slice(0, 10);
    return { filename: `fsma204-${safeFilePart(subjectName)}-${date}.csv`, body: csvPieces(rows) };
  }

  async #facts(caller: Principal | null, lotId: string, direction: TraceDirection) {
    requireRole(caller, "AUDITOR", "MANAGER");
    if (!isUuid(lotId)) throw badInput("lotId", "lotId is not a lot id");
    return gatherTraceFacts(this.deps, lotId, direction);
  }
}

async function* csvPieces(rows: AsyncIterable<Fsma204Row[]>): AsyncGenerator<string> {
  yield csvHeaderLine();
  for await (const piece of rows) if (piece.length > 0) yield csvRowLines(piece);
}

/** A lot code is free text; a header value and a file name need a tame subset of it. */
function safeFilePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "lot";
}
