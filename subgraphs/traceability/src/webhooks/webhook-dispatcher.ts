import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import type { Logger } from "pino";
import { Agent, request } from "undici";
import type { SqlDriver } from "@lotgraph/kit";
import { nextAttemptDelay, type RetryPolicy } from "../domain/webhooks/retry-schedule.ts";
import { signatureHeader } from "../domain/webhooks/signature.ts";

export interface DispatcherSettings extends RetryPolicy {
  /** How long one attempt may take, connection to last byte. */
  timeoutMs: number;
  /** Whether receivers on this host's loopback addresses are allowed (development). */
  allowLoopback: boolean;
  /** Attempts in flight at once for one webhook: a slow receiver ties up only its own share. */
  perWebhookConcurrency?: number;
  /** How often due retries are looked for when nothing wakes the dispatcher. */
  pollMs?: number;
}

/** A claimed delivery with what sending it needs. */
interface Claimed {
  id: string;
  webhook_id: string;
  url: string;
  secret: string;
  event_id: string;
  subject: string;
  entity_type: string;
  entity_id: string;
  payload: unknown;
  occurred_at: Date | string;
  attempts: number;
}

/** What a receiver's answer (or its silence) came to. */
interface Outcome {
  delivered: boolean;
  status: number | null;
  error: string | null;
}

const USER_AGENT = "Lotgraph-Webhooks/1";

/**
 * Sends webhook deliveries: claims what is due, posts it signed, and records the outcome, with
 * retries on the delivery's own schedule and dead letter after the last attempt.
 *
 * - In order per entity: a delivery is claimed only when no earlier one of the same webhook and
 *   entity is still pending, so a retrying event holds back later events of its entity only.
 * - Apart per webhook: each webhook has its own few attempts in flight; a receiver that hangs
 *   uses its share and nothing else, and the write path never waits on any of it.
 * - Many replicas may run this: a claim is a lease (claimed_until) taken with SKIP LOCKED, and a
 *   replica that dies mid-attempt leaves a lease that runs out, so another sends it again (at
 *   least once; receivers de-duplicate by the event id).
 */
export class WebhookDispatcher {
  readonly #inFlight = new Map<string, number>();
  readonly #agent: Agent;
  #running = false;
  #wakeUp: (() => void) | null = null;
  #woken = false;
  #loop: Promise<void> | null = null;
  readonly #sends = new Set<Promise<void>>();

  constructor(
    private readonly driver: SqlDriver,
    private readonly settings: DispatcherSettings,
    private readonly logger: Logger,
  ) {
    const refused = refusedAddresses(settings.allowLoopback);
    this.#agent = new Agent({
      connect: {
        timeout: settings.timeoutMs,
        // Where a name resolves to is checked at connect time, so a name that changes its answer
        // after the webhook was saved cannot point a delivery at the host's own metadata service.
        lookup: (hostname, options, callback) =>
          dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
            if (error) return callback(error, "", 4);
            const allowed = addresses.filter((entry) => !refused.check(entry.address, familyOf(entry.family)));
            if (allowed.length === 0)
              return callback(new Error(`${hostname} resolves only to addresses webhooks may not reach`), "", 4);
            if ((options as { all?: boolean }).all)
              return (callback as (e: null, a: LookupAddress[]) => void)(null, allowed);
            return callback(null, allowed[0]!.address, allowed[0]!.family);
          }),
      },
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
    });
    this.refused = refused;
  }

  private readonly refused: BlockList;

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Something may be due now (a delivery recorded, a redelivery asked for). */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    await Promise.allSettled([...this.#sends]);
    await this.#agent.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#woken = false;
      try {
        await this.#claimAndSend();
      } catch (error) {
        this.logger.warn({ err: error }, "webhook dispatch round failed; trying again shortly");
      }
      if (this.#woken || !this.#running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.pollMs ?? 500);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = null;
    }
  }

  async #claimAndSend(): Promise<void> {
    const perWebhook = this.settings.perWebhookConcurrency ?? 4;
    const busy = [...this.#inFlight].filter(([, n]) => n >= perWebhook).map(([id]) => id);
    const leaseMs = this.settings.timeoutMs + 30_000;
    // Per webhook, its oldest due deliveries up to its free share; per entity, only the first
    // still pending.
    const claimed = await this.driver.query<Claimed>(
      `WITH due AS (
         SELECT d.id, row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.seq) AS rank
           FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
            AND (d.claimed_until IS NULL OR d.claimed_until < now())
            AND w.active AND w.deleted_at IS NULL
            AND NOT (d.webhook_id = ANY($1::uuid[]))
            AND NOT EXISTS (
              SELECT 1 FROM webhook_delivery e
               WHERE e.webhook_id = d.webhook_id AND e.entity_type = d.entity_type
                 AND e.entity_id = d.entity_id AND e.status = 'PENDING' AND e.seq < d.seq)
       ),
       picked AS (
         SELECT d.id FROM webhook_delivery d JOIN due ON due.id = d.id
          WHERE due.rank <= $2 ORDER BY d.seq FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE webhook_delivery d SET claimed_until = now() + ($3::int * interval '1 millisecond')
         FROM picked, webhook w
        WHERE d.id = picked.id AND w.id = d.webhook_id
       RETURNING d.id::text AS id, d.webhook_id::text AS webhook_id, w.url, w.secret, d.event_id::text AS event_id,
                 d.subject, d.entity_type, d.entity_id, d.payload, d.occurred_at, d.attempts`,
      [busy, perWebhook, leaseMs],
    );
    for (const delivery of claimed) {
      const inFlight = this.#inFlight.get(delivery.webhook_id) ?? 0;
      if (inFlight >= perWebhook) {
        // Claimed past this webhook's share by the rank cut-off: hand it back for the next round.
        await this.driver.query("UPDATE webhook_delivery SET claimed_until = NULL WHERE id = $1::uuid", [delivery.id]);
        continue;
      }
      this.#inFlight.set(delivery.webhook_id, inFlight + 1);
      const send = this.#send(delivery).finally(() => {
        this.#inFlight.set(delivery.webhook_id, (this.#inFlight.get(delivery.webhook_id) ?? 1) - 1);
        this.#sends.delete(send);
        this.wake();
      });
      this.#sends.add(send);
    }
  }

  async #send(delivery: Claimed): Promise<void> {
    const attempt = delivery.attempts + 1;
    const body = JSON.stringify({
      id: delivery.event_id,
      deliveryId: delivery.id,
      webhookId: delivery.webhook_id,
      subject: delivery.subject,
      entityType: delivery.entity_type,
      entityId: delivery.entity_id,
      occurredAt: new Date(delivery.occurred_at).toISOString(),
      attempt,
      payload: typeof delivery.payload === "string" ? JSON.parse(delivery.payload) : delivery.payload,
    });
    const outcome = await this.#post(delivery, body, attempt);
    try {
      await this.#record(delivery, attempt, outcome);
    } catch (error) {
      // The lease runs out and the delivery is sent again: at least once, never lost.
      this.logger.warn({ err: error, delivery: delivery.id }, "webhook outcome not recorded; it will be retried");
    }
  }

  async #post(delivery: Claimed, body: string, attempt: number): Promise<Outcome> {
    try {
      const target = new URL(delivery.url);
      const literal = target.hostname.replace(/^\[|\]$/g, "");
      if (isIP(literal) && this.refused.check(literal, isIP(literal) === 6 ? "ipv6" : "ipv4"))
        return { delivered: false, status: null, error: `${literal} is an address webhooks may not reach` };
      const response = await request(target, {
        method: "POST",
        dispatcher: this.#agent,
        headers: {
          "content-type": "application/json",
          "user-agent": USER_AGENT,
          "lotgraph-signature": signatureHeader(delivery.secret, body, new Date()),
          "lotgraph-event-id": delivery.event_id,
          "lotgraph-delivery-id": delivery.id,
          "lotgraph-subject": delivery.subject,
          "lotgraph-attempt": String(attempt),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      // Only the status counts; the body is read and dropped so the connection can be reused.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const delivered = response.statusCode >= 200 && response.statusCode < 300;
      return { delivered, status: response.statusCode, error: delivered ? null : `answered ${response.statusCode}` };
    } catch (error) {
      return { delivered: false, status: null, error: describe(error) };
    }
  }

  async #record(delivery: Claimed, attempt: number, outcome: Outcome): Promise<void> {
    if (outcome.delivered) {
      await this.driver.query(
        `UPDATE webhook_delivery SET status = 'DELIVERED', attempts = $2, delivered_at = now(), last_attempt_at = now(),
                response_status = $3, last_error = NULL, claimed_until = NULL
          WHERE id = $1::uuid AND status = 'PENDING'`,
        [delivery.id, attempt, outcome.status],
      );
      return;
    }
    const delay = nextAttemptDelay(this.settings, attempt);
    await this.driver.query(
      `UPDATE webhook_delivery
          SET status = CASE WHEN $4::int IS NULL THEN 'DEAD' ELSE 'PENDING' END,
              attempts = $2, last_attempt_at = now(), response_status = $3, last_error = $5, claimed_until = NULL,
              next_attempt_at = now() + (COALESCE($4::int, 0) * interval '1 millisecond')
        WHERE id = $1::uuid AND status = 'PENDING'`,
      [delivery.id, attempt, outcome.status, delay, outcome.error?.slice(0, 500) ?? null],
    );
    if (delay === null)
      this.logger.warn(
        { delivery: delivery.id, webhook: delivery.webhook_id, attempts: attempt, error: outcome.error },
        "webhook delivery moved to dead letter",
      );
  }
}

/** Addresses no webhook may reach: link-local (cloud metadata), unspecified, and loopback unless allowed. */
function refusedAddresses(allowLoopback: boolean): BlockList {
  const list = new BlockList();
  list.addSubnet("169.254.0.0", 16, "ipv4");
  list.addSubnet("fe80::", 10, "ipv6");
  list.addAddress("0.0.0.0", "ipv4");
  list.addAddress("::", "ipv6");
  list.addSubnet("::ffff:169.254.0.0", 112, "ipv6");
  if (!allowLoopback) {
    list.addSubnet("127.0.0.0", 8, "ipv4");
    list.addAddress("::1", "ipv6");
    list.addSubnet("::ffff:127.0.0.0", 104, "ipv6");
  }
  return list;
}

function familyOf(family: number): "ipv4" | "ipv6" {
  return family === 6 ? "ipv6" : "ipv4";
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = (error as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
    if (error.name === "TimeoutError" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT")
      return "no answer within the timeout";
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
