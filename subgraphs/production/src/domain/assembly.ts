import { randomUUID } from "node:crypto";
import {
  DomainError,
  SUBJECTS,
  badInput,
  command,
  notFound,
  requireAuthenticated,
  type NewEvent,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/assembly-store.ts";
import type { ProductionTx } from "../store/db.ts";
import { findRuns } from "../store/run-store.ts";
import { conflict, type ProductionDeps } from "./common.ts";
import { vanished } from "./production-command.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { parseQuantity } from "@lotgraph/kit";
import type { InstallationRecord } from "./records.ts";
import { runNotInProgress } from "./runs.ts";
import type { SubjectOf, componentInstallationPayload } from "@lotgraph/kit";

const installFields = z.object({
  parentSerialId: id,
  componentSerialId: id.nullish(),
  componentLotId: id.nullish(),
  quantity: z.string().nullish(),
  runId: id.nullish(),
  idempotencyKey,
});
const installSchema = installFields.transform(installation);
const removeSchema = z.object({ installationId: id, reason: text(500), idempotencyKey });

type Installation = z.output<typeof installSchema>;

/** Deeper than any real product tree; a longer chain of parents means corrupt data, not a product. */
const MAX_ASSEMBLY_DEPTH = 1_000;

/** The as-built record: which component serials and lots are in which parent serial, and when. */
export class AssemblyService {
  constructor(private readonly deps: ProductionDeps) {}

  /**
   * Installs a component serial (quantity 1) or a quantity of a component lot into a parent
   * serial (OPERATOR). The serials and lot must exist in inventory, and the component's lot may
   * not be held, quarantined or expired (LOT_UNAVAILABLE); a serial can be in one parent at a
   * time, and never inside itself (GENEALOGY_CYCLE). Stock is not moved here.
   */
  installComponent(caller: Principal | null, raw: unknown, requestId: string): Promise<InstallationRecord> {
    return command(this.deps.db, caller, raw, {
      name: "installComponent",
      role: "OPERATOR",
      input: installSchema,
      prepare: (input) => this.requireInstallable(input, requestId),
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, actor, record }) => {
        await lockAssembly(tx);
        if (input.componentSerialId) {
          const current = await store.currentInstallationOf(tx, input.componentSerialId);
          if (current)
            throw conflict(
              `serial ${input.componentSerialId} is already installed in ${current.parentSerialId}; remove it first`,
              { installationId: current.id },
            );
          await refuseCycle(tx, input.parentSerialId, input.componentSerialId);
        }
        const installation = await store.insertInstallation(tx, {
          id: randomUUID(),
          ...input,
          installedAt: new Date(),
          installedBy: actor.name,
          removedAt: null,
          removedBy: null,
          removalReason: null,
        });
        record.audit({
          action: "component.installed",
          entityType: "Installation",
          entityId: installation.id,
          after: installation,
        });
        record.event(installationEvent(SUBJECTS.production.componentInstalled, installation));
        return installation.id;
      },
      reload: (installationId, { tx }) => this.load(installationId, tx),
    });
  }

  /**
   * What is checked before the transaction (a peer is never called inside one): the run is in
   * progress, the serials and the lot exist in inventory, and the component may be built in.
   */
  private async requireInstallable(input: Installation, requestId: string): Promise<void> {
    const { parentSerialId, componentSerialId, componentLotId, runId } = input;
    if (runId) {
      const [run] = await findRuns(this.deps.db.client, [runId]);
      if (!run) throw badInput("runId", `run ${runId} does not exist`);
      if (run.status !== "IN_PROGRESS") throw runNotInProgress(run);
    }
    const serialIds = [parentSerialId, ...(componentSerialId ? [componentSerialId] : [])];
    const knownSerials = await this.deps.inventory.existing("SerialUnit", serialIds, requestId);
    if (!knownSerials.has(parentSerialId))
      throw badInput("parentSerialId", `serial unit ${parentSerialId} does not exist`);
    if (componentSerialId && !knownSerials.has(componentSerialId))
      throw badInput("componentSerialId", `serial unit ${componentSerialId} does not exist`);
    if (componentLotId && !(await this.deps.inventory.existing("Lot", [componentLotId], requestId)).has(componentLotId))
      throw badInput("componentLotId", `lot ${componentLotId} does not exist`);
    await this.requireBuildable(
      componentSerialId ? { serialId: componentSerialId } : { lotId: componentLotId! },
      requestId,
    );
  }

  /**
   * A component may be built in only from a lot that may be used (AVAILABLE, not expired), or one
   * already consumed into production (it was usable when consumed; a later hold reaches what was
   * made from it). A held or quarantined component would leave the plant inside its parent.
   */
  private async requireBuildable(
    component: { serialId: string } | { lotId: string },
    requestId: string,
  ): Promise<void> {
    const lot = await this.deps.inventory.componentLot(component, requestId);
    if (!lot) return;
    const expired = lot.expiresAt !== null && new Date(lot.expiresAt).getTime() <= Date.now();
    if ((lot.status === "AVAILABLE" && !expired) || lot.status === "CONSUMED") return;
    throw new DomainError(
      "LOT_UNAVAILABLE",
      `lot ${lot.code} is ${expired ? "expired" : lot.status}: its components cannot be built in`,
      { lotId: lot.id, lotCode: lot.code, status: lot.status, expiresAt: lot.expiresAt },
    );
  }

  /** Records that an installed component came out, with a reason (OPERATOR). */
  removeComponent(caller: Principal | null, raw: unknown): Promise<InstallationRecord> {
    return command(this.deps.db, caller, raw, {
      name: "removeComponent",
      role: "OPERATOR",
      input: removeSchema,
      run: async ({ tx, input, actor, record }) => {
        await lockAssembly(tx);
        const before = await store.findInstallation(tx, input.installationId);
        if (!before) throw notFound("Installation", input.installationId);
        if (before.removedAt) throw conflict(`this component was already removed at ${before.removedAt.toISOString()}`);
        const after = await store.markRemoved(tx, before.id, {
          removedAt: new Date(),
          removedBy: actor.name,
          removalReason: input.reason,
        });
        record.audit({
          action: "component.removed",
          entityType: "Installation",
          entityId: before.id,
          reason: input.reason,
          before: { removedAt: null },
          after: { removedAt: after.removedAt },
        });
        record.event(installationEvent(SUBJECTS.production.componentRemoved, after));
        return before.id;
      },
      reload: (installationId, { tx }) => this.load(installationId, tx),
    });
  }

  async installations(
    caller: Principal | null,
    parentSerialId: string,
    currentOnly: boolean,
  ): Promise<InstallationRecord[]> {
    requireAuthenticated(caller);
    if (!id.safeParse(parentSerialId).success) return [];
    return store.listInstallations(this.deps.db.client, parentSerialId, currentOnly);
  }

  private async load(installationId: string, tx: ProductionTx): Promise<InstallationRecord> {
    return (await store.findInstallation(tx, installationId)) ?? vanished("installation", installationId);
  }
}

/**
 * The installation as stored and compared on a replay: exactly one of a component serial (quantity
 * 1) and a component lot (a quantity, in canonical form), never the parent itself.
 */
function installation(parsed: z.output<typeof installFields>) {
  const componentSerialId = parsed.componentSerialId ?? null;
  const componentLotId = parsed.componentLotId ?? null;
  if ((componentSerialId === null) === (componentLotId === null))
    throw badInput("componentSerialId", "give exactly one of componentSerialId and componentLotId");
  let quantity = "1";
  if (componentLotId) {
    if (!parsed.quantity) throw badInput("quantity", "quantity is required for a component lot");
    quantity = parseQuantity("quantity", parsed.quantity).toFixed();
  } else if (parsed.quantity && parseQuantity("quantity", parsed.quantity).toFixed() !== "1") {
    throw badInput("quantity", "a component serial is installed with quantity 1");
  }
  if (componentSerialId === parsed.parentSerialId)
    throw new DomainError("GENEALOGY_CYCLE", "a serial cannot be installed into itself");
  return {
    parentSerialId: parsed.parentSerialId,
    componentSerialId,
    componentLotId,
    quantity,
    runId: parsed.runId ?? null,
    idempotencyKey: parsed.idempotencyKey,
  };
}

/**
 * One assembly change at a time: the "installed once" and "no cycle" checks read the whole
 * current tree, which a concurrent install could otherwise change underneath them.
 */
const lockAssembly = (tx: ProductionTx) =>
  tx.$executeRawUnsafe("SELECT 1 FROM pg_advisory_xact_lock(hashtext('production:assembly'))");

/** GENEALOGY_CYCLE when `componentSerialId` already contains `parentSerialId`, at any depth. */
async function refuseCycle(tx: ProductionTx, parentSerialId: string, componentSerialId: string): Promise<void> {
  let serial = parentSerialId;
  for (let depth = 0; depth < MAX_ASSEMBLY_DEPTH; depth++) {
    const holder = await store.currentInstallationOf(tx, serial);
    if (!holder) return;
    if (holder.parentSerialId === componentSerialId)
      throw new DomainError("GENEALOGY_CYCLE", `serial ${parentSerialId} is already inside ${componentSerialId}`);
    serial = holder.parentSerialId;
  }
  throw new Error(`assembly of serial ${parentSerialId} is deeper than ${MAX_ASSEMBLY_DEPTH} levels`);
}

type InstallationSubject = SubjectOf<typeof componentInstallationPayload>;

const installationEvent = (
  subject: InstallationSubject,
  installation: InstallationRecord,
): NewEvent<InstallationSubject> => ({
  subject,
  entityType: "Installation",
  entityId: installation.id,
  payload: {
    installationId: installation.id,
    parentSerialId: installation.parentSerialId,
    componentSerialId: installation.componentSerialId,
    componentLotId: installation.componentLotId,
    quantity: installation.quantity,
    runId: installation.runId,
    installedAt: installation.installedAt.toISOString(),
    removedAt: installation.removedAt?.toISOString() ?? null,
    removalReason: installation.removalReason,
  },
});
