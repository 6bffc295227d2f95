import { badInput, command, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { lockGenealogyExclusive, outputsOfRun } from "../store/ledger-genealogy.ts";
import * as release from "../store/release-store.ts";
import { changeAvailability } from "./availability.ts";
import { performedBy } from "./common.ts";
import { actingFor, idsOf, internalRequest, lotById, lotsInOrder, type InventoryCommand } from "./inventory-command.ts";
import { id, reason } from "@lotgraph/kit";
import { holdWithDescendants } from "./holds.ts";
import { REJECTED, gateRequirement, settledByLotPass } from "./release-requirements.ts";
import type { LotRecord } from "./records.ts";

const requiredKey = z.string().min(1, "required").max(200);
const decisionSchema = z
  .object({
    gateId: z.string().trim().min(1, "required").max(200),
    runId: id.nullish(),
    lotId: id.nullish(),
    result: z.enum(["PASS", "HOLD", "FAIL"]),
    /** The hold a HOLD or FAIL places (quality's id); required for them, refused for PASS. */
    holdId: z.string().trim().min(1).max(200).nullish(),
    reason,
    performedBy,
    idempotencyKey: requiredKey,
  })
  .refine((input) => input.runId || input.lotId, { message: "give a runId, a lotId or both", path: ["lotId"] })
  .refine((input) => (input.result === "PASS") === !input.holdId, {
    message: "a HOLD or FAIL names its hold; a PASS names none",
    path: ["holdId"],
  });
const releaseForUseSchema = z.object({ lotId: id, reason, performedBy, idempotencyKey: requiredKey });

export interface DecisionEffect {
  /** Every lot the decision held, the decided lot first, then the run's outputs, then descendants. */
  held: LotRecord[];
  /** Lots whose release requirements the decision settled or added. */
  changed: LotRecord[];
}

type DecisionInput = z.output<typeof decisionSchema>;

/**
 * What quality decisions do to stock (positive release), decided here because only inventory
 * writes availability. One transaction per decision, holding the genealogy lock alone, so a lot
 * being produced sees the decision either entirely or not at all:
 * - PASS on a lot settles its incoming inspection, its rejection and that gate;
 *   PASS on a run settles that gate for its outputs, present and future, and ends the holds
 *   earlier decisions at the gate placed on its future outputs (they are superseded).
 * - HOLD or FAIL on a lot holds it and every descendant; FAIL also rejects it (a later PASS or a
 *   signed USE_AS_IS releases it).
 * - HOLD or FAIL on a run holds every output and descendant, and every output recorded later
 *   until the hold is released or superseded; at a blocking gate the outputs wait for it again.
 */
export class QualityDecisionService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  applyQcDecision(caller: Principal | null, raw: unknown): Promise<DecisionEffect> {
    return command(this.db, caller, raw, {
      name: "applyQcDecision",
      role: "internal",
      input: decisionSchema,
      actor: actingFor,
      request: (input) =>
        internalRequest({
          ...input,
          runId: input.runId ?? null,
          lotId: input.lotId ?? null,
          holdId: input.holdId ?? null,
        }),
      run: async (cmd) => {
        const input = { ...cmd.input, holdId: cmd.input.holdId ?? null };
        await lockGenealogyExclusive(cmd.tx);
        const lotEffect = input.lotId ? await onLot(cmd, { ...input, lotId: input.lotId }) : null;
        const runEffect = input.runId ? await onRun(cmd, { ...input, runId: input.runId }) : null;
        return {
          held: idsOf(unique([...(lotEffect?.held ?? []), ...(runEffect?.held ?? [])])),
          changed: idsOf(unique([...(lotEffect?.changed ?? []), ...(runEffect?.changed ?? [])])),
        };
      },
      reload: async ({ held, changed }, { tx }) => {
        const lots = await lotsInOrder(tx, [...held, ...changed]);
        return { held: lots.slice(0, held.length), changed: lots.slice(held.length) };
      },
    });
  }

  /** A signed USE_AS_IS disposition: the lot no longer waits for anything (its holds stay). */
  releaseLotForUse(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "releaseLotForUse",
      role: "internal",
      input: releaseForUseSchema,
      actor: actingFor,
      request: internalRequest,
      run: async (cmd) => {
        const { tx, input } = cmd;
        const [current] = await tx.lot.findMany({ where: { id: input.lotId }, select: { releasePending: true } });
        if (!current) throw badInput("lotId", `lot ${input.lotId} does not exist`);
        const [changed] = await changeAvailability(cmd, [input.lotId], {
          removePending: current.releasePending,
          reason: input.reason,
        });
        return changed!.after.id;
      },
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }
}

type Decision = Pick<DecisionInput, "gateId" | "result" | "reason"> & { holdId: string | null };

async function onLot(cmd: InventoryCommand, input: Decision & { lotId: string }): Promise<DecisionEffect> {
  if (input.result === "PASS") {
    const changes = await changeAvailability(cmd, [input.lotId], {
      removePending: settledByLotPass(input.gateId),
      reason: input.reason,
    });
    return { held: [], changed: changes.map((c) => c.after) };
  }
  const changed =
    input.result === "FAIL"
      ? (await changeAvailability(cmd, [input.lotId], { addPending: [REJECTED], reason: input.reason })).map(
          (c) => c.after,
        )
      : [];
  const held = await holdWithDescendants(cmd, [input.lotId], true, input.holdId!, input.reason);
  return { held, changed };
}

async function onRun(cmd: InventoryCommand, input: Decision & { runId: string }): Promise<DecisionEffect> {
  const { tx } = cmd;
  const passed = input.result === "PASS";
  const now = new Date();
  const { blocking } = await release.recordGateResult(tx, input.runId, input.gateId, passed);
  // Any decision at the gate supersedes the run holds earlier ones placed there.
  await release.endRunHoldsAtGate(tx, input.runId, input.gateId, now);
  const outputs = await outputsOfRun(tx, input.runId);
  const requirement = gateRequirement(input.gateId);
  if (passed) {
    const changes = outputs.length
      ? await changeAvailability(cmd, outputs, { removePending: [requirement], reason: input.reason })
      : [];
    return { held: [], changed: changes.map((c) => c.after) };
  }
  await release.insertRunHold(tx, {
    runId: input.runId,
    holdId: input.holdId!,
    gateId: input.gateId,
    reason: input.reason,
    placedAt: now,
    endedAt: null,
  });
  const changed =
    blocking && outputs.length
      ? (await changeAvailability(cmd, outputs, { addPending: [requirement], reason: input.reason })).map(
          (c) => c.after,
        )
      : [];
  const held = await holdWithDescendants(cmd, outputs, true, input.holdId!, input.reason);
  return { held, changed };
}

function unique(lots: LotRecord[]): LotRecord[] {
  const seen = new Map<string, LotRecord>();
  for (const lot of lots) seen.set(lot.id, lot);
  return [...seen.values()];
}
