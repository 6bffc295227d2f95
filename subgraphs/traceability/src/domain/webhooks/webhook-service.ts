import { randomUUID } from "node:crypto";
import {
  DomainError,
  badInput,
  command,
  idempotencyKey,
  requireRole,
  subjectRegexes,
  type CommandDatabase,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { TraceabilityTx } from "../../database.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { newWebhookSecret } from "./signature.ts";

/** A webhook as its readers see it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  subjects: string[];
  description: string;
  active: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  deletedAt: Date | null;
}

export type DeliveryStatus = "PENDING" | "DELIVERED" | "DEAD" | "CANCELLED";

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  subject: string;
  entityType: string;
  entityId: string;
  payload: unknown;
  occurredAt: Date;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  responseStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface DeliveryPage {
  edges: Array<{ cursor: string; node: WebhookDeliveryView }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

const MAX_WEBHOOKS = 50;
const MAX_DELIVERIES_FIRST = 500;

const webhookId = z.string().uuid("is not a webhook id");
const url = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, context) => {
    const problem = urlProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
const subjects = z
  .array(z.string())
  .min(1, "lists at least one subject or pattern")
  .max(50)
  .superRefine((value, context) => {
    try {
      subjectRegexes(value);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
    }
  });
const description = z.string().trim().max(500);

const createSchema = z.object({ url, subjects, description: description.nullish(), idempotencyKey });
const updateSchema = z.object({
  webhookId,
  url: url.nullish(),
  subjects: subjects.nullish(),
  description: description.nullish(),
  active: z.boolean().nullish(),
  rotateSecret: z.boolean().nullish(),
  idempotencyKey,
});
const deleteSchema = z.object({ webhookId, idempotencyKey });
const redeliverSchema = z.object({ deliveryId: z.string().uuid("is not a delivery id"), idempotencyKey });

/** What a webhook change stores for a replay: the webhook, and whether this change made its secret. */
type WebhookRef = { webhookId: string; revealsSecret: boolean };

/**
 * Webhooks (issue 20): an administrator names a URL and the subjects it wants; every matching
 * event committed from then on is posted to it, signed (signature.ts), retried with backoff and,
 * after the last attempt, left in dead letter for a person to redeliver. Managing them is for
 * ADMIN, since a webhook receives any event it asks for; reading them and their deliveries is
 * for AUDITOR too. The secret is shown when it is made (create, or update with rotateSecret) and
 * never again.
 */
export class WebhookService {
  constructor(
    private readonly db: CommandDatabase<TraceabilityTx>,
    private readonly read: { webhook: Prisma.WebhookDelegate; webhookDelivery: Prisma.WebhookDeliveryDelegate },
    /** Tells the dispatcher that a delivery may be due now (a redelivery). */
    private readonly wake: () => void,
  ) {}

  create(caller: Principal | null, raw: unknown): Promise<{ webhook: WebhookView; secret: string }> {
    return command(this.db, caller, raw, {
      name: "createWebhook",
      role: "ADMIN",
      input: createSchema,
      run: async ({ tx, input, actor, record }): Promise<WebhookRef> => {
        const live = await tx.webhook.count({ where: { deletedAt: null } });
        if (live >= MAX_WEBHOOKS)
          throw new DomainError("CONFLICT", `at most ${MAX_WEBHOOKS} webhooks: delete one you no longer use`);
        const created = await tx.webhook.create({
          data: {
            id: randomUUID(),
            url: input.url,
            subjects: input.subjects,
            description: input.description ?? "",
            secret: newWebhookSecret(),
            createdBy: actor.id,
          },
        });
        record.audit({
          action: "webhook.created",
          entityType: "Webhook",
          entityId: created.id,
          after: { url: created.url, subjects: created.subjects, description: created.description },
        });
        return { webhookId: created.id, revealsSecret: true };
      },
      reload: async (ref, { tx }) => {
        const row = await tx.webhook.findUniqueOrThrow({ where: { id: ref.webhookId } });
        return { webhook: webhookView(row), secret: row.secret };
      },
    });
  }

  update(caller: Principal | null, raw: unknown): Promise<{ webhook: WebhookView; secret: string | null }> {
    return command(this.db, caller, raw, {
      name: "updateWebhook",
      role: "ADMIN",
      input: updateSchema,
      run: async ({ tx, input, record }): Promise<WebhookRef> => {
        const before = await lockLive(tx, input.webhookId);
        const data: Prisma.WebhookUpdateInput = { updatedAt: new Date() };
        if (input.url != null) data.url = input.url;
        if (input.subjects != null) data.subjects = input.subjects;
        if (input.description != null) data.description = input.description;
        if (input.active != null) data.active = input.active;
        if (input.rotateSecret) data.secret = newWebhookSecret();
        const after = await tx.webhook.update({ where: { id: before.id }, data });
        record.audit({
          action: "webhook.updated",
          entityType: "Webhook",
          entityId: after.id,
          ...(input.rotateSecret ? { reason: "signing secret rotated" } : {}),
          before: {
            url: before.url,
            subjects: before.subjects,
            description: before.description,
            active: before.active,
          },
          after: { url: after.url, subjects: after.subjects, description: after.description, active: after.active },
        });
        return { webhookId: after.id, revealsSecret: Boolean(input.rotateSecret) };
      },
      reload: async (ref, { tx }) => {
        const row = await tx.webhook.findUniqueOrThrow({ where: { id: ref.webhookId } });
        return { webhook: webhookView(row), secret: ref.revealsSecret ? row.secret : null };
      },
    });
  }

  /** Deletes a webhook: nothing more is sent to it, and what was waiting is CANCELLED. History stays. */
  delete(caller: Principal | null, raw: unknown): Promise<{ webhook: WebhookView }> {
    return command(this.db, caller, raw, {
      name: "deleteWebhook",
      role: "ADMIN",
      input: deleteSchema,
      run: async ({ tx, input, record }): Promise<WebhookRef> => {
        const webhook = await lockLive(tx, input.webhookId);
        const now = new Date();
        await tx.webhook.update({ where: { id: webhook.id }, data: { deletedAt: now, active: false, updatedAt: now } });
        const cancelled = await tx.webhookDelivery.updateMany({
          where: { webhookId: webhook.id, status: "PENDING" },
          data: { status: "CANCELLED", lastError: "the webhook was deleted", claimedUntil: null },
        });
        record.audit({
          action: "webhook.deleted",
          entityType: "Webhook",
          entityId: webhook.id,
          before: { url: webhook.url, subjects: webhook.subjects },
          after: { cancelledDeliveries: cancelled.count },
        });
        return { webhookId: webhook.id, revealsSecret: false };
      },
      reload: async (ref, { tx }) => ({
        webhook: webhookView(await tx.webhook.findUniqueOrThrow({ where: { id: ref.webhookId } })),
      }),
    });
  }

  /**
   * Sends a delivery again, by hand: one in dead letter once the receiver is fixed, or one the
   * receiver acknowledged and then lost. It goes behind whatever of its entity is still waiting.
   */
  async redeliver(caller: Principal | null, raw: unknown): Promise<{ delivery: WebhookDeliveryView }> {
    const result = await command(this.db, caller, raw, {
      name: "redeliverWebhook",
      role: "ADMIN",
      input: redeliverSchema,
      run: async ({ tx, input, record }): Promise<{ deliveryId: string }> => {
        const [locked] = await tx.$queryRawUnsafe<Array<{ id: string }>>(
          "SELECT id::text AS id FROM webhook_delivery WHERE id = $1::uuid FOR UPDATE",
          input.deliveryId,
        );
        if (!locked) throw new DomainError("NOT_FOUND", `delivery ${input.deliveryId} does not exist`);
        const delivery = await tx.webhookDelivery.findUniqueOrThrow({
          where: { id: input.deliveryId },
          include: { webhook: true },
        });
        if (delivery.webhook.deletedAt)
          throw new DomainError("CONFLICT", "the delivery's webhook was deleted; nothing is sent to it");
        if (delivery.status === "PENDING")
          throw new DomainError("CONFLICT", "the delivery is still pending: it will be sent, or retried, by itself");
        const [{ next } = { next: "0" }] = await tx.$queryRawUnsafe<Array<{ next: string }>>(
          "SELECT nextval(pg_get_serial_sequence('webhook_delivery', 'seq'))::text AS next",
        );
        await tx.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            status: "PENDING",
            attempts: 0,
            seq: BigInt(next),
            nextAttemptAt: new Date(),
            claimedUntil: null,
            lastError: null,
            responseStatus: null,
          },
        });
        record.audit({
          action: "webhook.redelivered",
          entityType: "WebhookDelivery",
          entityId: delivery.id,
          before: { status: delivery.status, attempts: delivery.attempts },
          after: { status: "PENDING" },
        });
        return { deliveryId: delivery.id };
      },
      reload: async (ref, { tx }) => ({
        delivery: deliveryView(await tx.webhookDelivery.findUniqueOrThrow({ where: { id: ref.deliveryId } })),
      }),
    });
    this.wake();
    return result;
  }

  async list(caller: Principal | null, includeDeleted: boolean): Promise<WebhookView[]> {
    requireRole(caller, "AUDITOR");
    const rows = await this.read.webhook.findMany({
      where: includeDeleted ? {} : { deletedAt: null },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(webhookView);
  }

  async get(caller: Principal | null, id: string): Promise<WebhookView | null> {
    requireRole(caller, "AUDITOR");
    if (!webhookId.safeParse(id).success) return null;
    const row = await this.read.webhook.findUnique({ where: { id } });
    return row ? webhookView(row) : null;
  }

  /** Deliveries still waiting and in dead letter, for a webhook's health at a glance. */
  async counts(id: string): Promise<{ pending: number; dead: number }> {
    const [pending, dead] = await Promise.all([
      this.read.webhookDelivery.count({ where: { webhookId: id, status: "PENDING" } }),
      this.read.webhookDelivery.count({ where: { webhookId: id, status: "DEAD" } }),
    ]);
    return { pending, dead };
  }

  /** A webhook's deliveries, newest first, optionally of one status. */
  async deliveries(
    caller: Principal | null,
    args: { webhookId: string; first?: number | null; after?: string | null; status?: DeliveryStatus | null },
  ): Promise<DeliveryPage> {
    requireRole(caller, "AUDITOR");
    const first = args.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_FIRST)
      throw badInput("first", `first must be between 1 and ${MAX_DELIVERIES_FIRST}`);
    if (!webhookId.safeParse(args.webhookId).success) throw badInput("webhookId", "webhookId is not a webhook id");
    if (!(await this.read.webhook.findUnique({ where: { id: args.webhookId } })))
      throw new DomainError("NOT_FOUND", `webhook ${args.webhookId} does not exist`);
    let before: bigint | null = null;
    if (args.after) {
      if (!/^\d{1,19}$/.test(args.after)) throw badInput("after", "after is not a delivery cursor");
      before = BigInt(args.after);
    }
    const where: Prisma.WebhookDeliveryWhereInput = {
      webhookId: args.webhookId,
      ...(args.status ? { status: args.status } : {}),
    };
    const [rows, totalCount] = await Promise.all([
      this.read.webhookDelivery.findMany({
        where: before === null ? where : { ...where, seq: { lt: before } },
        orderBy: { seq: "desc" },
        take: first + 1,
      }),
      this.read.webhookDelivery.count({ where }),
    ]);
    const edges = rows.slice(0, first).map((row) => ({ cursor: row.seq.toString(), node: deliveryView(row) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount,
    };
  }
}

async function lockLive(tx: TraceabilityTx, id: string) {
  const [locked] = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    "SELECT id::text AS id FROM webhook WHERE id = $1::uuid FOR UPDATE",
    id,
  );
  const row = locked ? await tx.webhook.findUnique({ where: { id } }) : null;
  if (!row || row.deletedAt) throw new DomainError("NOT_FOUND", `webhook ${id} does not exist`);
  return row;
}

/** Why a URL cannot receive webhooks, or null. Where it resolves to is checked at each attempt. */
export function urlProblem(value: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return "is not an absolute URL";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "must be an http or https URL";
  if (parsed.username || parsed.password)
    return "must not carry a user name or password: the signature proves the sender";
  if (parsed.hash) return "must not have a #fragment";
  return null;
}

export function webhookView(row: {
  id: string;
  url: string;
  subjects: string[];
  description: string;
  active: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  deletedAt: Date | null;
}): WebhookView {
  return {
    id: row.id,
    url: row.url,
    subjects: row.subjects,
    description: row.description,
    active: row.active,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

export function deliveryView(row: {
  id: string;
  webhookId: string;
  eventId: string;
  subject: string;
  entityType: string;
  entityId: string;
  payload: unknown;
  occurredAt: Date;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  responseStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}): WebhookDeliveryView {
  const status = row.status as DeliveryStatus;
  return {
    id: row.id,
    webhookId: row.webhookId,
    eventId: row.eventId,
    subject: row.subject,
    entityType: row.entityType,
    entityId: row.entityId,
    payload: row.payload,
    occurredAt: row.occurredAt,
    status,
    attempts: row.attempts,
    nextAttemptAt: status === "PENDING" ? row.nextAttemptAt : null,
    lastAttemptAt: row.lastAttemptAt,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}
