import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  isUuid,
  notFound,
  requireAuthenticated,
  requireInternal,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { QualityLoaders } from "../loaders.ts";
import { latestRunDecision } from "../store/decision-store.ts";
import * as gateStore from "../store/gate-store.ts";
import type { QualityDeps } from "./common.ts";
import type { QualityTx } from "../store/db.ts";
import { vanished } from "./quality-command.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { conflict } from "./common.ts";
import { diffGate, loosenings } from "./gate-changes.ts";
import type { GateRecord, QcResult } from "./records.ts";

const limit = z.number().finite("must be a finite number");
const checklist = z
  .array(
    z
      .object({ name: text(100), lower: limit, upper: limit, unit: z.string().trim().max(20) })
      .refine((c) => c.lower <= c.upper, { message: "lower must not exceed upper", path: ["upper"] }),
  )
  .max(100);
const createSchema = z
  .object({
    name: text(200),
    blocking: z.boolean(),
    criticalControlPoint: z.boolean(),
    segregationOfDuties: z.boolean().nullish(),
    characteristics: checklist,
    idempotencyKey,
  })
  .transform((parsed) => {
    requireUniqueNames(parsed.characteristics);
    return { ...parsed, segregationOfDuties: parsed.segregationOfDuties ?? false };
  });
const updateSchema = z
  .object({
    gateId: id,
    name: text(200).nullish(),
    blocking: z.boolean().nullish(),
    criticalControlPoint: z.boolean().nullish(),
    segregationOfDuties: z.boolean().nullish(),
    characteristics: checklist.nullish(),
    idempotencyKey,
  })
  .transform((parsed) => {
    if (parsed.characteristics) requireUniqueNames(parsed.characteristics);
    const { gateId: _gateId, idempotencyKey: _key, ...update } = parsed;
    if (Object.values(update).every((value) => value == null))
      throw badInput("gateId", "give at least one field to change");
    return parsed;
  });
const deactivateSchema = z.object({ gateId: id, idempotencyKey });

function requireUniqueNames(characteristics: ReadonlyArray<{ name: string }>): void {
  const names = characteristics.map((c) => c.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw badInput("characteristics", `characteristic ${duplicate} is listed twice`);
}

export interface GateStatusView {
  gateId: string;
  blocking: boolean;
  passed: boolean;
  lastResult: QcResult | null;
}

/** What a gate's reads batch through: the request's loader of gates. */
export type GateLoaders = Pick<QualityLoaders, "gate">;

/**
 * Gates: inspection plans with their checklist of characteristics and limits. Built per request
 * (see quality-services.ts), so reads batch through that request's loaders.
 *
 * Changing a gate never lets material past it that it would have stopped (invariant 5):
 * - while a run in progress routes through the gate, an update that loosens it (a flag turned
 *   off, a characteristic dropped or widened or its unit changed) is CONFLICT: such a run is judged
 *   by the gate it started under; tightening and renaming are accepted at any time;
 * - outputs already recorded keep waiting for a gate that blocked when they were made (inventory
 *   records that per run), whatever the gate becomes;
 * - past decisions keep the limits they were judged against (each measurement stores them);
 * - deactivating changes nothing of how the gate blocks: the runs planned through it still need
 *   its PASS and can still get it (see DecisionService); only new plans and decisions about other
 *   work are refused.
 */
export class GateService {
  constructor(
    private readonly deps: QualityDeps,
    private readonly loaders: GateLoaders,
  ) {}

  /** Defines a gate (MANAGER). */
  createQcGate(caller: Principal | null, raw: unknown): Promise<GateRecord> {
    return command(this.deps.db, caller, raw, {
      name: "createQcGate",
      role: "MANAGER",
      input: createSchema,
      run: async ({ tx, input, actor, record }) => {
        const gate = await gateStore.insertGate(tx, {
          id: randomUUID(),
          name: input.name,
          blocking: input.blocking,
          criticalControlPoint: input.criticalControlPoint,
          segregationOfDuties: input.segregationOfDuties,
          createdAt: new Date(),
          createdById: actor.id,
          createdByName: actor.name,
          characteristics: input.characteristics,
        });
        record.audit({ action: "qcGate.created", entityType: "QcGate", entityId: gate.id, after: gate });
        record.event({
          subject: SUBJECTS.quality.gateCreated,
          entityType: "QcGate",
          entityId: gate.id,
          payload: { gateId: gate.id, name: gate.name, blocking: gate.blocking },
        });
        return gate.id;
      },
      reload: (gateId, { tx }) => this.load(tx, gateId),
    });
  }

  /**
   * Changes a gate (MANAGER); only the fields given change, and characteristics replace the whole
   * checklist. Production is asked first (outside the transaction) which runs in progress route
   * through the gate: with any, a loosening change is CONFLICT. A run that starts while this
   * commits is judged by the gate as changed, as a run started after it would be.
   */
  updateQcGate(caller: Principal | null, raw: unknown, requestId: string): Promise<GateRecord> {
    return command(this.deps.db, caller, raw, {
      name: "updateQcGate",
      role: "MANAGER",
      input: updateSchema,
      prepare: (input) => this.deps.production.gateRunsInProgress(input.gateId, requestId),
      run: async ({ tx, input, prepared: runsInProgress, record }) => {
        const before = await lockForChange(tx, input.gateId);
        const diff = diffGate(before, input);
        const loosened = loosenings(before, diff);
        if (loosened.length && runsInProgress.length)
          throw conflict(
            `gate ${before.name} cannot be loosened (${loosened.join("; ")}) while ${runsInProgress.length} run(s) in progress route through it: finish or cancel them first`,
            { gateId: before.id, loosenings: loosened, runIds: runsInProgress },
          );
        const after = Object.keys(diff).length ? await gateStore.updateGate(tx, before.id, diff) : before;
        const changed = Object.keys(diff);
        record.audit({
          action: "qcGate.updated",
          entityType: "QcGate",
          entityId: before.id,
          before: Object.fromEntries(changed.map((field) => [field, before[field as keyof GateRecord]])),
          after: diff,
        });
        record.event({
          subject: SUBJECTS.quality.gateUpdated,
          entityType: "QcGate",
          entityId: before.id,
          payload: { gateId: after.id, name: after.name, blocking: after.blocking, active: after.active, changed },
        });
        return before.id;
      },
      reload: (gateId, { tx }) => this.load(tx, gateId),
    });
  }

  /**
   * Retires a gate (MANAGER): new work orders may not plan a phase on it and it decides only the
   * work already planned through it. It keeps blocking exactly as before. Already deactivated is
   * CONFLICT.
   */
  deactivateQcGate(caller: Principal | null, raw: unknown): Promise<GateRecord> {
    return command(this.deps.db, caller, raw, {
      name: "deactivateQcGate",
      role: "MANAGER",
      input: deactivateSchema,
      run: async ({ tx, input, record }) => {
        const before = await lockForChange(tx, input.gateId);
        const after = await gateStore.updateGate(tx, before.id, { active: false, deactivatedAt: new Date() });
        record.audit({
          action: "qcGate.deactivated",
          entityType: "QcGate",
          entityId: before.id,
          before: { active: true },
          after: { active: false, deactivatedAt: after.deactivatedAt },
        });
        record.event({
          subject: SUBJECTS.quality.gateDeactivated,
          entityType: "QcGate",
          entityId: before.id,
          payload: { gateId: after.id, name: after.name, blocking: after.blocking, active: false, changed: ["active"] },
        });
        return before.id;
      },
      reload: (gateId, { tx }) => this.load(tx, gateId),
    });
  }

  /** Every gate by name, deactivated ones included unless `active` says otherwise. */
  async gates(caller: Principal | null, filter: gateStore.GateFilter = {}): Promise<GateRecord[]> {
    requireAuthenticated(caller);
    return gateStore.allGates(this.deps.db.client, filter);
  }

  async gate(caller: Principal | null, gateId: string): Promise<GateRecord | null> {
    requireAuthenticated(caller);
    return this.loaders.gate.load(gateId);
  }

  /**
   * Internal: a run's standing at a gate, for production's advancePhase. An unknown gate cannot
   * block (production stores gate ids it was given; it validates them, not this). A deactivated
   * gate answers as before: retiring a gate never unblocks a run.
   */
  async gateStatus(caller: Principal | null, runId: string, gateId: string): Promise<GateStatusView> {
    requireInternal(caller);
    const gate = await this.loaders.gate.load(gateId);
    if (!gate) return { gateId, blocking: false, passed: false, lastResult: null };
    const latest = isUuid(runId) ? await latestRunDecision(this.deps.db.client, runId, gateId) : null;
    return { gateId, blocking: gate.blocking, passed: latest?.result === "PASS", lastResult: latest?.result ?? null };
  }

  private async load(tx: QualityTx, gateId: string): Promise<GateRecord> {
    return (await gateStore.findGates(tx, [gateId]))[0] ?? vanished("gate", gateId);
  }
}

/** Locks a gate to change it: NOT_FOUND, or CONFLICT once deactivated (a retired gate is history). */
async function lockForChange(tx: QualityTx, gateId: string): Promise<GateRecord> {
  const gate = await gateStore.lockGate(tx, gateId);
  if (!gate) throw notFound("QcGate", gateId);
  if (!gate.active)
    throw conflict(`gate ${gate.name} is deactivated: it can no longer be changed`, {
      gateId: gate.id,
      deactivatedAt: gate.deactivatedAt?.toISOString() ?? null,
    });
  return gate;
}
