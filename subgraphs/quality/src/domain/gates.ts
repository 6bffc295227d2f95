import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  isUuid,
  requireAuthenticated,
  requireInternal,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { QualityLoaders } from "../loaders.ts";
import { latestRunDecision } from "../store/decision-store.ts";
import * as gateStore from "../store/gate-store.ts";
import type { QualityDeps } from "./common.ts";
import { vanished } from "./quality-command.ts";
import { idempotencyKey, text } from "@lotgraph/kit";
import type { GateRecord, QcResult } from "./records.ts";

const limit = z.number().finite("must be a finite number");
const createSchema = z
  .object({
    name: text(200),
    blocking: z.boolean(),
    criticalControlPoint: z.boolean(),
    segregationOfDuties: z.boolean().nullish(),
    characteristics: z
      .array(
        z
          .object({ name: text(100), lower: limit, upper: limit, unit: z.string().trim().max(20) })
          .refine((c) => c.lower <= c.upper, { message: "lower must not exceed upper", path: ["upper"] }),
      )
      .max(100),
    idempotencyKey,
  })
  .transform((parsed) => {
    const names = parsed.characteristics.map((c) => c.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw badInput("characteristics", `characteristic ${duplicate} is listed twice`);
    return { ...parsed, segregationOfDuties: parsed.segregationOfDuties ?? false };
  });

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
      reload: async (gateId, { tx }) => (await gateStore.findGates(tx, [gateId]))[0] ?? vanished("gate", gateId),
    });
  }

  async gates(caller: Principal | null): Promise<GateRecord[]> {
    requireAuthenticated(caller);
    return gateStore.allGates(this.deps.db.client);
  }

  async gate(caller: Principal | null, gateId: string): Promise<GateRecord | null> {
    requireAuthenticated(caller);
    return this.loaders.gate.load(gateId);
  }

  /**
   * Internal: a run's standing at a gate, for production's advancePhase. An unknown gate cannot
   * block (production stores gate ids it was given; it validates them, not this).
   */
  async gateStatus(caller: Principal | null, runId: string, gateId: string): Promise<GateStatusView> {
    requireInternal(caller);
    const gate = await this.loaders.gate.load(gateId);
    if (!gate) return { gateId, blocking: false, passed: false, lastResult: null };
    const latest = isUuid(runId) ? await latestRunDecision(this.deps.db.client, runId, gateId) : null;
    return { gateId, blocking: gate.blocking, passed: latest?.result === "PASS", lastResult: latest?.result ?? null };
  }
}
