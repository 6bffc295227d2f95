import type { RecallActionView, RecallAnswer, RecallCaseRecord, RecallNoticeRecord } from "../recall-records.ts";
import type { ReportFacts } from "./report-model.ts";
import type { ReportNames } from "./report-names.ts";

/**
 * Fixture views for the report's tests: the bakery of tests/e2e/recall-cases.test.ts (30 kg of
 * flour SL-1 and 70 kg of sugar make 100 kg of cookies, 40 kg shipped to a shop and 20 kg to a
 * café) as the case service would answer it, and a case of many lots.
 */
export const IDS = {
  case: "6f1c1d2e-0000-4000-8000-000000000001",
  flour: "0b0e0000-0000-4000-8000-00000000f100",
  cookie: "0b0e0000-0000-4000-8000-00000000c00c",
  later: "0b0e0000-0000-4000-8000-00000000c00d",
  shop: "0a000000-0000-4000-8000-000000005409",
  cafe: "0a000000-0000-4000-8000-00000000caf3",
  toShop: "05000000-0000-4000-8000-000000000001",
  toCafe: "05000000-0000-4000-8000-000000000002",
  flourMaterial: "0c000000-0000-4000-8000-000000000001",
  cookieMaterial: "0c000000-0000-4000-8000-000000000002",
} as const;

export const GENERATED = { at: new Date("2026-03-04T09:05:01.000Z"), byName: "Ada Auditor", install: "plant-1" };

export function drillRecord(overrides: Partial<RecallCaseRecord> = {}): RecallCaseRecord {
  return {
    id: IDS.case,
    number: "DRILL-2026-0001",
    drill: true,
    status: "OPEN",
    reason: "annual mock recall",
    sourceLotId: null,
    supplierLotCode: "SL-1",
    openedAt: new Date("2026-03-04T08:00:00.000Z"),
    openedById: "u-1",
    openedByName: "Rhea Recall",
    answeredInMs: 1234,
    containment: "NONE",
    holdIds: [],
    supplierHoldIds: [],
    closedAt: null,
    closedById: null,
    closedByName: null,
    closeReason: null,
    signerName: null,
    signedAt: null,
    signatureMeaning: null,
    ...overrides,
  };
}

export function bakeryAnswer(): RecallAnswer {
  return {
    scope: {
      lots: [
        { lot: { id: IDS.flour }, frozen: true, createdAt: new Date("2026-03-01T00:00:00Z") },
        { lot: { id: IDS.cookie }, frozen: true, createdAt: new Date("2026-03-02T00:00:00Z") },
      ],
      frozenCount: 2,
      foundLaterCount: 0,
      finishedLots: [{ id: IDS.cookie }],
      onHand: [{ id: IDS.cookie }],
      shipments: [{ id: IDS.toShop }, { id: IDS.toCafe }],
    },
    exposure: {
      lots: [
        lot(IDS.flour, 0, "1.000000", "30.000000", "30.000000"),
        lot(IDS.cookie, 1, "0.300000", "30.000000", "100.000000"),
      ],
      serials: [],
      customers: [
        { customer: { id: IDS.shop }, shipments: [{ id: IDS.toShop }], quantityOfSource: "12.000000", uom: "kg" },
        { customer: { id: IDS.cafe }, shipments: [{ id: IDS.toCafe }], quantityOfSource: "6.000000", uom: "kg" },
      ],
      sourceQuantity: [{ quantity: "30.000000", uom: "kg" }],
    },
    reconciliation: {
      lines: [
        {
          uom: "kg",
          received: "30",
          consumed: "30",
          onHand: "0",
          shipped: "0",
          scrapped: "0",
          adjustments: "0",
          unaccounted: "0",
          percentAccountedFor: 100,
        },
      ],
      percentAccountedFor: 100,
      balanced: true,
    },
  };
}

export function bakeryNames(): ReportNames {
  return {
    lots: new Map([
      [IDS.flour, { code: "FL-1", uom: "kg", materialSku: "FLOUR", materialName: "Wheat flour T55" }],
      [IDS.cookie, { code: "CK-1", uom: "kg", materialSku: "COOKIE", materialName: "Butter cookie" }],
      [IDS.later, { code: "CK-2", uom: "kg", materialSku: "COOKIE", materialName: "Butter cookie" }],
    ]),
    parties: new Map([
      [IDS.shop, { code: "SHOP", name: "Corner Shop, Ltd" }],
      [IDS.cafe, { code: "CAFE", name: "Café Łódź" }],
    ]),
    shipments: new Map([
      [IDS.toShop, { reference: "SO-1001", shippedAt: new Date("2026-03-03T10:00:00Z") }],
      [IDS.toCafe, { reference: "=SO-1002", shippedAt: new Date("2026-03-03T11:00:00Z") }],
    ]),
  };
}

export function notice(customerId: string, acknowledged: boolean): RecallNoticeRecord {
  return {
    id: `n-${customerId}`,
    caseId: IDS.case,
    customerId,
    notifiedAt: new Date("2026-03-04T08:30:00Z"),
    acknowledgedAt: acknowledged ? new Date("2026-03-04T08:45:00Z") : null,
    note: 'phoned the buyer, "hold and return"',
    recordedAt: new Date("2026-03-04T08:31:00Z"),
    recordedById: "u-1",
    recordedByName: "Rhea Recall",
  };
}

export function drillFacts(): ReportFacts {
  return {
    record: drillRecord(),
    answer: bakeryAnswer(),
    notices: [],
    actions: [],
    names: bakeryNames(),
    generated: GENERATED,
  };
}

/** A real recall of the bakery: one customer told and acknowledged, the other not yet told. */
export function recallFacts(): ReportFacts {
  const actions: RecallActionView[] = [
    {
      kind: "NOTIFY_CUSTOMER",
      description: "Tell this customer: shipments carried 6.000000 kg of source material",
      customer: { id: IDS.cafe },
      lot: null,
    },
    {
      kind: "RECOVER_ON_HAND",
      description: "40 kg still on hand (ON_HOLD): decide its disposition",
      customer: null,
      lot: { id: IDS.cookie },
    },
  ];
  return {
    record: drillRecord({
      number: "RC-2026-0003",
      drill: false,
      containment: "PLACED",
      holdIds: [],
      supplierHoldIds: ["h-1"],
    }),
    answer: bakeryAnswer(),
    notices: [notice(IDS.shop, true)],
    actions,
    names: bakeryNames(),
    generated: GENERATED,
  };
}

/**
 * A case that reached `count` lots through a blend: the source, then lots whose quantity of
 * source falls with their index, so the largest are known (LOT-00001 holds the most).
 */
export function largeFacts(count: number): ReportFacts {
  const ids = Array.from({ length: count }, (_, i) => `0d000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  const answer = bakeryAnswer();
  answer.scope.lots = ids.map((id) => ({ lot: { id }, frozen: true, createdAt: null }));
  answer.scope.frozenCount = count;
  answer.exposure.lots = ids.map((id, i) =>
    i === 0
      ? lot(id, 0, "1.000000", "50000.000000", "50000.000000")
      : lot(id, 1 + (i % 4), "0.010000", `${(count - i) / 1000}`, `${(count - i) / 10}`),
  );
  const names = bakeryNames();
  const lotNames = new Map(names.lots);
  ids.forEach((id, i) =>
    lotNames.set(id, { code: `LOT-${String(i).padStart(5, "0")}`, uom: "kg", materialSku: "MIX", materialName: "Mix" }),
  );
  return { ...drillFacts(), answer, names: { ...names, lots: lotNames } };
}

function lot(id: string, depth: number, fraction: string, quantityOfSource: string, quantity: string) {
  return { lot: { id }, depth, fraction, quantityOfSource, quantity, uom: "kg" };
}
