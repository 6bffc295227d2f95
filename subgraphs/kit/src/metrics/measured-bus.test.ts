import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InProcessBus } from "../bus/in-process.ts";
import type { BusMessage } from "../bus/types.ts";
import { MeasuredBus } from "./measured-bus.ts";
import { LotgraphMetrics } from "./metrics.ts";

const message = (subject: string, occurredAt = new Date().toISOString()): BusMessage => ({
  id: randomUUID(),
  subject,
  entityType: "Lot",
  entityId: "lot-1",
  payload: {},
  occurredAt,
});

async function sample(metrics: LotgraphMetrics, line: string): Promise<number | undefined> {
  const { body } = await metrics.scrape();
  const found = body.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("MeasuredBus", () => {
  it("reports a consumer's pending messages and lag, and its apply delay once it catches up", async () => {
    const inner = new InProcessBus();
    const metrics = new LotgraphMetrics();
    const bus = new MeasuredBus(inner, metrics, "traceability");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const consumption = await bus.consume({
      durable: "genealogy",
      subjects: ["lotgraph.inventory.>"],
      handler: async (m) => {
        await gate; // the projection is stuck on its first event
        handled.push(m.id);
      },
    });
    const written = new Date(Date.now() - 60_000).toISOString();
    await bus.publish(message("lotgraph.inventory.lot.received", written));
    await bus.publish(message("lotgraph.production.run.started")); // not its subject
    await bus.publish(message("lotgraph.inventory.lot.moved"));

    const labels = '{service="traceability",consumer="genealogy"}';
    expect(await sample(metrics, `lotgraph_bus_consumer_pending${labels}`)).toBe(2);
    // The event being handled was written a minute ago.
    expect(await sample(metrics, `lotgraph_projection_lag_seconds${labels}`)).toBeGreaterThanOrEqual(60);

    release();
    await new Promise<void>((resolve) => {
      const check = () => (handled.length === 2 ? resolve() : setImmediate(check));
      check();
    });
    await new Promise((resolve) => setImmediate(resolve)); // the cursor moves after the handler
    expect(await sample(metrics, `lotgraph_bus_consumer_pending${labels}`)).toBe(0);
    expect(await sample(metrics, `lotgraph_projection_lag_seconds${labels}`)).toBe(0);
    expect(await sample(metrics, `lotgraph_bus_event_apply_delay_seconds_count${labels}`)).toBe(2);

    await consumption.stop();
    bus.stopMeasuring();
    expect(await sample(metrics, `lotgraph_bus_consumer_pending${labels}`)).toBeUndefined();
    await inner.close();
  });

  it("knows no lag for a durable the bus does not hold", async () => {
    const bus = new InProcessBus();
    expect(await bus.pending("nobody")).toBeNull();
    await bus.close();
  });
});
