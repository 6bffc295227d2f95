import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { TokenService, createLogger, resolveJwtSecret, serve } from "@lotgraph/kit";
import WebSocket from "ws";
import { createGateway, type GatewayOptions } from "@lotgraph/gateway";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { LiveTestClient } from "../support/live-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, runWorkOrder, type PlantCrew } from "../support/plant.ts";
import { waitFor } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

interface LotUpdate {
  lotChanged: {
    code: string;
    quantity: string;
    status: string;
    location: { code: string } | null;
    qualityStatus: string;
    holds: Array<{ reason: string; active: boolean }>;
    parents: Array<{ code: string }>;
  };
}

interface RunUpdate {
  runChanged: {
    id: string;
    status: string;
    workOrder: { line: { code: string } | null };
    consumptions: Array<{ quantity: string; lot: { code: string } }>;
    outputs: Array<{ lot: { code: string; qualityStatus: string } }>;
    gates: Array<{ gate: { name: string }; passed: boolean }>;
  };
}

/** How long "nothing else arrives" is watched for, after the expected payloads came. */
const SETTLE_MS = 750;

/**
 * Issue 6's done-when, through the gateway: graphql-ws subscriptions receive, in order, payloads
 * that the gateway assembles from several subgraphs for each event; filtered subscriptions get
 * only what they asked for; sockets without a valid token are closed with 4403.
 */
describe(`live updates over graphql-ws (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let crew: PlantCrew;
  let operatorToken: string;
  const ids: Record<string, string> = {};
  const sockets: LiveTestClient[] = [];

  /** A socket signed in as the operator (VIEWER reads are enough to subscribe), closed after the test. */
  const operatorSocket = () => {
    const socket = LiveTestClient.withToken(lotgraph.gatewayUrl, operatorToken);
    sockets.push(socket);
    onTestFinished(() => socket.dispose());
    return socket;
  };

  /**
   * "Query first, then subscribe" has a window: an event written before subscribing may still be
   * on its way and then reach the new subscriber. Tests that count payloads close it by waiting
   * until the gateway has dispatched the events of what they did before subscribing (call before
   * doing it).
   */
  const expectDispatched = (events: number) => {
    const target = lotgraph.liveStats().events + events;
    return () => waitFor(`${target} live events dispatched`, () => lotgraph.liveStats().events >= target);
  };

  /**
   * Subscriptions register asynchronously: returns a wait for `count` more subscribers than the
   * gateway has now (call it before subscribing).
   */
  const expectSubscribers = (count: number) => {
    const target = lotgraph.liveStats().subscribers + count;
    return () => waitFor(`${target} live subscribers`, () => lotgraph.liveStats().subscribers >= target);
  };

  // A socket a test disposed closes on the gateway a moment later: each test starts once the
  // previous one's subscriptions have ended, so its subscriber counts are its own.
  beforeEach(() => waitFor("the previous test's subscriptions to end", () => lotgraph.liveStats().subscribers === 0));

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    crew = await hireCrew(anonymous, admin, "live");
    operatorToken = await anonymous.login("operator-live@plant.test", "operator-password-live");
    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.cold = await create(
      admin,
      "createLocation",
      { code: "COLD", name: "Cold store", kind: "AREA", parentId: ids.site },
      "location",
    );
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "RAW");
    ids.sugar = await material("SUGAR", "RAW");
    ids.dough = await material("DOUGH", "INTERMEDIATE");
    ids.lineA = await create(crew.manager, "createLine", { code: "LINE-A", name: "Line A" }, "line");
    ids.lineB = await create(crew.manager, "createLine", { code: "LINE-B", name: "Line B" }, "line");
    const gate = (name: string) =>
      create(
        crew.manager,
        "createQcGate",
        { name, blocking: false, criticalControlPoint: false, characteristics: [] },
        "gate",
      );
    ids.visual = await gate("Visual check");
    ids.metal = await gate("Metal detector");
  });

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await lotgraph?.cleanup();
  });

  const receive = (code: string, materialId: string, quantity: string) =>
    create(crew.operator, "receiveLot", { code, materialId, quantity, locationId: ids.site }, "lot");

  /**
   * Another gateway replica, in this process, on the same subgraphs and bus as the system under
   * test: what a second pod of a Deployment is. Stopping it is a graceful shutdown.
   */
  const startReplica = async (
    replicaId: string,
    liveLimits?: GatewayOptions["liveLimits"],
    liveStreamLimits?: GatewayOptions["liveStreamLimits"],
  ) => {
    const logger = createLogger("silent", "replica");
    const gateway = await createGateway({
      subgraphUrls: lotgraph.subgraphUrls,
      jwtSecret: await resolveJwtSecret(lotgraph.env),
      logger,
      bus: lotgraph.bus,
      replicaId,
      ...(liveLimits ? { liveLimits } : {}),
      ...(liveStreamLimits ? { liveStreamLimits } : {}),
    });
    const server = await serve({ name: "replica", port: 0, host: "127.0.0.1", logger, handler: gateway.yoga });
    gateway.attachLiveSockets(server.server);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await gateway.closeLive();
      await server.close(1_000);
      await gateway.close();
    };
    onTestFinished(stop);
    return { gateway, url: `http://127.0.0.1:${server.port}/graphql`, stop };
  };

  const adjust = (lotId: string, delta: string) =>
    create(crew.manager, "adjustLot", { lotId, delta, reason: "recount" }, "lot");

  it("pushes each change of a lot, with fields of four subgraphs, in order; filters by lot and material", async () => {
    const received = expectDispatched(2);
    const flour = await receive("F-100", ids.flour!, "100");
    const sugar = await receive("S-200", ids.sugar!, "50");
    await received();
    const subscribed = expectSubscribers(3);
    const socket = operatorSocket();
    const byLot = socket.subscribe<LotUpdate>(
      `subscription ($lotId: ID) {
        lotChanged(lotId: $lotId) {
          code quantity status location { code }
          qualityStatus holds { reason active }
          parents { code }
        }
      }`,
      { lotId: flour },
    );
    const bySugar = socket.subscribe<{ lotChanged: { code: string; quantity: string } }>(
      `subscription ($materialId: ID) { lotChanged(materialId: $materialId) { code quantity } }`,
      { materialId: ids.sugar },
    );
    const all = socket.subscribe<{ lotChanged: { code: string } }>(`subscription { lotChanged { code } }`);
    await subscribed();

    // Each payload is the lot's state when the gateway ran the selection, so the test waits for
    // one before the next change: then every payload's content is exact, not just its order.
    await create(crew.operator, "moveLot", { lotId: flour, toLocationId: ids.cold }, "lot");
    await byLot.waitForCount(1);
    await create(crew.manager, "adjustLot", { lotId: flour, delta: "-5", reason: "cycle count" }, "lot");
    await byLot.waitForCount(2);
    const dough = await runWorkOrder(crew, {
      productId: ids.dough!,
      locationId: ids.cold!,
      consume: [
        [flour, "30"],
        [sugar, "10"],
      ],
      output: [["D-1", "40"]],
    });
    await byLot.waitForCount(3);
    await crew.manager.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId: flour, reason: "mould found at intake" },
    });

    // move, adjust, consume, held in inventory, hold recorded in quality.
    const updates = (await byLot.waitForCount(5)).map((u) => u.lotChanged);
    expect(updates.map((u) => [u.code, u.quantity, u.status, u.location?.code])).toEqual([
      ["F-100", "100", "AVAILABLE", "COLD"],
      ["F-100", "95", "AVAILABLE", "COLD"],
      ["F-100", "65", "AVAILABLE", "COLD"],
      ["F-100", "65", "ON_HOLD", "COLD"],
      ["F-100", "65", "ON_HOLD", "COLD"],
    ]);
    const last = updates[4]!;
    expect(last.holds).toEqual([{ reason: "mould found at intake", active: true }]);
    expect(last.qualityStatus).toBe("ON_HOLD");
    expect(last.parents).toEqual([]); // a raw lot: traceability answered, with nothing upstream
    expect(updates.slice(0, 3).every((u) => u.holds.length === 0)).toBe(true);

    // The material filter: sugar's consumption only; the unfiltered one: every lot, in order.
    await sleep(SETTLE_MS);
    expect(byLot.results).toHaveLength(5);
    expect(bySugar.data.map((u) => [u.lotChanged.code, u.lotChanged.quantity])).toEqual([["S-200", "40"]]);
    const codes = all.data.map((u) => u.lotChanged.code);
    expect(codes.filter((code) => code === "F-100")).toHaveLength(5);
    expect(codes.filter((code) => code === "S-200")).toHaveLength(1);
    expect(codes).toContain("D-1");
    expect(dough.lots).toHaveLength(1);
    // Two subscribers on one selection and arguments share an execution: 3 groups here, so
    // executions stay well under one per subscriber per event.
    expect(lotgraph.liveStats().groups).toBeGreaterThanOrEqual(3);
  });

  it("pushes run changes of one line, and quality decisions of one gate", async () => {
    const flour = await receive("F-300", ids.flour!, "80");
    const subscribed = expectSubscribers(2);
    const socket = operatorSocket();
    const lineA = socket.subscribe<RunUpdate>(
      `subscription ($lineId: ID) {
        runChanged(lineId: $lineId) {
          id status workOrder { line { code } }
          consumptions { quantity lot { code } }
          outputs { lot { code qualityStatus } }
          gates { gate { name } passed }
        }
      }`,
      { lineId: ids.lineA },
    );
    const visual = socket.subscribe<{
      qcDecisionRecorded: { result: string; gate: { name: string }; run: { id: string } | null; decidedByName: string };
    }>(
      `subscription ($gateId: ID) {
        qcDecisionRecorded(gateId: $gateId) { result gate { name } run { id } decidedByName }
      }`,
      { gateId: ids.visual },
    );
    await subscribed();

    // A run on line B first: line A's subscribers must not hear of it.
    const other = await runWorkOrder(crew, {
      productId: ids.dough!,
      locationId: ids.site!,
      consume: [[flour, "10"]],
      output: [["D-B", "10"]],
      lineId: ids.lineB,
    });
    const made = await runWorkOrder(crew, {
      productId: ids.dough!,
      locationId: ids.site!,
      consume: [[flour, "20"]],
      output: [["D-A", "20"]],
      lineId: ids.lineA,
    });
    const decide = (gateId: string, runId: string) =>
      crew.operator.expectData(
        `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`,
        { input: { gateId, runId, decision: "PASS" } },
      );
    await decide(ids.metal!, other.runId); // another line and another gate: heard by neither
    await decide(ids.visual!, made.runId);
    await create(crew.operator, "completeRun", { runId: made.runId }, "run");

    // started, consumed, output, decision (its line looked up), completed.
    const runs = (await lineA.waitForCount(5)).map((u) => u.runChanged);
    await sleep(SETTLE_MS);
    expect(lineA.results).toHaveLength(5);
    expect(new Set(runs.map((r) => r.id))).toEqual(new Set([made.runId]));
    expect(runs.map((r) => r.workOrder.line?.code)).toEqual(Array(5).fill("LINE-A"));
    // The mutations follow each other without waiting for updates, and a payload is the run's state
    // when the gateway ran the selection: so each payload is at least as new as its event and
    // never older than the one before; the first is the run just started, the last the finished one.
    const progress = runs.map((r) => [r.consumptions.length, r.outputs.length, r.gates.length]);
    for (let i = 1; i < progress.length; i++) {
      progress[i]!.forEach((count, k) => expect(count).toBeGreaterThanOrEqual(progress[i - 1]![k]!));
    }
    expect(runs[0]!.status).toBe("IN_PROGRESS");
    expect(progress[4]).toEqual([1, 1, 1]);
    expect(runs[4]!.status).toBe("COMPLETED");
    expect(runs[4]!.consumptions).toEqual([{ quantity: "20", lot: { code: "F-300" } }]);
    expect(runs[4]!.gates).toEqual([{ gate: { name: "Visual check" }, passed: true }]);

    const decisions = visual.data.map((u) => u.qcDecisionRecorded);
    expect(decisions).toEqual([
      {
        result: "PASS",
        gate: { name: "Visual check" },
        run: { id: made.runId },
        decidedByName: "OPERATOR live",
      },
    ]);
  });

  it("pushes every hold a propagating placement makes", async () => {
    const flour = await receive("F-400", ids.flour!, "60");
    const made = await runWorkOrder(crew, {
      productId: ids.dough!,
      locationId: ids.site!,
      consume: [[flour, "30"]],
      output: [
        ["D-H1", "15"],
        ["D-H2", "15"],
      ],
    });
    // Genealogy is a projection: wait until traceability knows both children before holding.
    await waitFor("the children of F-400 in traceability", async () => {
      const data = await admin.expectData<{ lot: { children: unknown[] } }>(
        `query ($id: ID) { lot(id: $id) { children { id } } }`,
        { id: flour },
      );
      return data.lot.children.length === 2;
    });
    const subscribed = expectSubscribers(1);
    const socket = operatorSocket();
    const holds = socket.subscribe<{
      holdPlaced: { reason: string; lot: { code: string; status: string }; cause: { id: string } | null };
    }>(`subscription { holdPlaced { reason lot { code status } cause { id } } }`);
    await subscribed();
    await crew.manager.expectData(`mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`, {
      input: { lotId: flour, reason: "supplier recall", propagate: true },
    });
    const placed = (await holds.waitForCount(3)).map((u) => u.holdPlaced);
    await sleep(SETTLE_MS);
    expect(holds.results).toHaveLength(3);
    expect(placed.map((h) => h.lot.code).sort()).toEqual(["D-H1", "D-H2", "F-400"]);
    expect(placed.every((h) => h.lot.status === "ON_HOLD" && h.reason === "supplier recall")).toBe(true);
    expect(placed.filter((h) => h.cause === null)).toHaveLength(1); // the root; the others point to it
    expect(made.lots).toHaveLength(2);
  });

  it("serves the same subscriptions over server-sent events, with the token in the header", async () => {
    const received = expectDispatched(1);
    const flour = await receive("F-600", ids.flour!, "10");
    await received();
    const subscribed = expectSubscribers(1);
    const abort = new AbortController();
    onTestFinished(() => abort.abort());
    const response = await fetch(lotgraph.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${operatorToken}`,
      },
      body: JSON.stringify({
        query: `subscription ($id: ID) { lotChanged(lotId: $id) { code quantity qualityStatus } }`,
        variables: { id: flour },
      }),
      signal: abort.signal,
    });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    await subscribed();
    await create(crew.manager, "adjustLot", { lotId: flour, delta: "-1", reason: "sample" }, "lot");

    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!/^data: .*"quantity"/m.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const data = /^data: (.*)$/m.exec(text.split("\n").filter((line) => line.includes('"quantity"'))[0] ?? "")?.[1];
    expect(JSON.parse(data ?? "null")).toEqual({
      data: { lotChanged: { code: "F-600", quantity: "9", qualityStatus: "PENDING" } },
    });
    abort.abort();

    const anonymous = await fetch(lotgraph.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: `subscription { holdPlaced { id } }` }),
    });
    const refusal = await anonymous.text();
    expect(refusal).toContain('"UNAUTHENTICATED"');
  });

  it("closes a socket without a valid token with 4403, and refuses a subscription a role may not open", async () => {
    const anonymous = new LiveTestClient(lotgraph.gatewayUrl, null);
    sockets.push(anonymous);
    expect(await anonymous.waitClosed()).toMatchObject({ code: 4403 });

    const forged = LiveTestClient.withToken(lotgraph.gatewayUrl, `${operatorToken.slice(0, -4)}AAAA`);
    sockets.push(forged);
    expect(await forged.waitClosed()).toMatchObject({ code: 4403 });

    const tokens = new TokenService(await resolveJwtSecret(lotgraph.env));
    const expired = await tokens.sign({ id: "u-expired", name: "Late", kind: "user", roles: ["VIEWER"] }, -10);
    const late = LiveTestClient.withToken(lotgraph.gatewayUrl, expired);
    sockets.push(late);
    expect(await late.waitClosed()).toMatchObject({ code: 4403 });

    // A valid token that holds no role at all reads nothing, live included.
    const roleless = await tokens.sign({ id: "sa-none", name: "No role", kind: "service-account", roles: [] }, 60);
    const socket = LiveTestClient.withToken(lotgraph.gatewayUrl, roleless);
    sockets.push(socket);
    const refused = socket.subscribe(`subscription { holdPlaced { id } }`);
    await waitFor("the refusal", () => refused.results.length > 0 || refused.error !== null);
    const errors = refused.error ?? refused.results[0]?.errors ?? [];
    expect(errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("ends a socket with 4403 when its token expires, and caps subscriptions per connection", async () => {
    const tokens = new TokenService(await resolveJwtSecret(lotgraph.env));
    const brief = await tokens.sign({ id: "u-brief", name: "Brief", kind: "user", roles: ["VIEWER"] }, 2);
    const shortLived = LiveTestClient.withToken(lotgraph.gatewayUrl, brief);
    sockets.push(shortLived);
    const watching = shortLived.subscribe(`subscription { lotChanged { id } }`);
    onTestFinished(() => watching.unsubscribe());
    expect(await shortLived.waitClosed(6_000)).toEqual({ code: 4403, reason: "token expired" });

    const socket = operatorSocket();
    const opened = Array.from({ length: 51 }, () => socket.subscribe(`subscription { holdPlaced { id } }`));
    await waitFor("the 51st subscription refused", () => opened[50]!.error !== null);
    expect(opened[50]!.error!.map((e) => e.extensions?.code)).toEqual(["TOO_MANY_SUBSCRIPTIONS"]);
    expect(opened.slice(0, 50).every((s) => s.error === null)).toBe(true);
    for (const subscription of opened) subscription.unsubscribe();
  });

  it("resumes a restarted replica's stream where it stopped; a new replica starts from now", async () => {
    const received = expectDispatched(1);
    const flour = await receive("F-500", ids.flour!, "100");
    await received(); // published before the replica's consumer exists: not one of its events
    const first = await startReplica("replica-b");
    const before = LiveTestClient.withToken(first.url, operatorToken);
    sockets.push(before);
    const watched = before.subscribe<{ lotChanged: { quantity: string } }>(
      `subscription ($id: ID) { lotChanged(lotId: $id) { quantity } }`,
      { id: flour },
    );
    await waitFor("the subscriber on the replica", () => first.gateway.liveStats().subscribers === 1);
    await adjust(flour, "-1");
    expect((await watched.waitForCount(1)).map((u) => u.lotChanged.quantity)).toEqual(["99"]);

    await first.stop(); // a rolling restart: clients are told 1001 Going Away
    expect((await before.waitClosed()).code).toBe(1001);
    await adjust(flour, "-1");
    await adjust(flour, "-1");

    // Same replica id: its durable consumer resumes with the two events written while it was down.
    const restarted = await startReplica("replica-b");
    await waitFor("the backlog consumed", () => restarted.gateway.liveStats().events === 2);
    // A new replica id starts at the end of the stream: it does not replay history.
    const fresh = await startReplica("replica-c");
    await sleep(SETTLE_MS);
    expect(fresh.gateway.liveStats().events).toBe(0);
    expect(restarted.gateway.liveStats()).toMatchObject({ events: 2, executions: 0 });

    // What a reconnecting client does: query the current state, then subscribe.
    const current = await new TestClient(restarted.url, operatorToken).expectData<{ lot: { quantity: string } }>(
      `query ($id: ID) { lot(id: $id) { quantity } }`,
      { id: flour },
    );
    expect(current.lot.quantity).toBe("97");
    const after = LiveTestClient.withToken(restarted.url, operatorToken);
    sockets.push(after);
    const resumed = after.subscribe<{ lotChanged: { quantity: string } }>(
      `subscription ($id: ID) { lotChanged(lotId: $id) { quantity } }`,
      { id: flour },
    );
    await waitFor("the subscriber after the restart", () => restarted.gateway.liveStats().subscribers === 1);
    await adjust(flour, "-1");
    expect((await resumed.waitForCount(1)).map((u) => u.lotChanged.quantity)).toEqual(["96"]);
  });

  it("caps live streams over HTTP (server-sent events) per account and per address, and frees a slot when a stream ends", async () => {
    const replica = await startReplica("replica-streams", undefined, {
      maxStreamsPerPrincipal: 2,
      maxStreamsPerAddress: 3,
    });
    const streams: AbortController[] = [];
    onTestFinished(() => streams.forEach((s) => s.abort()));
    /** Opens a stream; resolves with its first event's data (a refusal comes as the only event). */
    const open = async (token: string) => {
      const controller = new AbortController();
      streams.push(controller);
      const response = await fetch(replica.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "subscription { holdPlaced { id } }" }),
        signal: controller.signal,
      });
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      return { controller, response };
    };
    const firstEvent = async (
      response: Response,
    ): Promise<{ errors?: Array<{ extensions?: { code?: string }; message: string }> }> => {
      const reader = response.body!.getReader();
      let text = "";
      while (!/^data: .*$/m.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return JSON.parse(/^data: (.*)$/m.exec(text)![1]!);
    };

    const first = await open(operatorToken);
    await open(operatorToken);
    await waitFor("two streams", () => replica.gateway.liveStats().streams === 2);
    const refused = await firstEvent((await open(operatorToken)).response);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(["RATE_LIMITED"]);
    expect(refused.errors?.[0]?.message).toBe("too many live streams for this account; close some, then retry");

    // Another account from the same address gets the address's last slot, then the address is full.
    await open(crew.manager.token!);
    await waitFor("three streams", () => replica.gateway.liveStats().streams === 3);
    const overAddress = await firstEvent((await open(admin.token!)).response);
    expect(overAddress.errors?.[0]?.message).toBe("too many live streams from this address; retry later");

    // A stream that ends gives its slot back.
    first.controller.abort();
    await waitFor("the aborted stream released", () => replica.gateway.liveStats().streams === 2);
    await open(operatorToken);
    await waitFor("a stream in the freed slot", () => replica.gateway.liveStats().streams === 3);
  });

  it("caps sockets per account, per address and unsigned per address, each apart; an operation over a limit ends only itself", async () => {
    const replica = await startReplica("replica-fair", {
      maxConnectionsPerPrincipal: 2,
      maxUnauthenticatedPerAddress: 2,
      maxConnectionsPerAddress: 5,
    });
    const open = (token: string) => {
      const client = LiveTestClient.withToken(replica.url, token);
      sockets.push(client);
      client.subscribe(`subscription { holdPlaced { id } }`);
      return client;
    };
    // One account: two sockets, the third is refused after its connection_init.
    const operatorSockets = [open(operatorToken), open(operatorToken)];
    await waitFor("two of the operator's subscribers", () => replica.gateway.liveStats().subscribers === 2);
    const third = open(operatorToken);
    expect(await third.waitClosed()).toEqual({
      code: 1013,
      reason: "too many connections for this account; close some, then retry",
    });
    await waitFor("the refused socket gone", () => replica.gateway.liveStats().connections === 2);

    // Sockets that have not signed in are counted apart: two may wait at once, a third is refused.
    const silent = [0, 1].map(() => new WebSocket(replica.url.replace(/^http/, "ws"), "graphql-transport-ws"));
    await Promise.all(silent.map((ws) => once(ws, "open")));
    const thirdSilent = new WebSocket(replica.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const [code, reason] = await once(thirdSilent, "close");
    expect([code, String(reason)]).toEqual([1013, "too many connections waiting to sign in from this address"]);
    for (const ws of silent) ws.terminate();
    await waitFor("the silent sockets gone", () => replica.gateway.liveStats().connections === 2);

    // Other accounts still get in, up to the address's total (5): then even they are refused.
    // (One at a time: each waits to sign in, and only two may wait at once here.)
    for (const [token, subscribers] of [
      [crew.manager.token!, 3],
      [crew.manager.token!, 4],
      [admin.token!, 5],
    ] as const) {
      open(token);
      await waitFor(`subscriber ${subscribers}`, () => replica.gateway.liveStats().subscribers === subscribers);
    }
    const overAddress = open(admin.token!);
    expect((await overAddress.waitClosed()).reason).toBe("too many connections from this address; retry later");

    // An operation over the gateway's limits, or with bad variables, is refused alone: the socket and its other subscriptions stay.
    const socket = operatorSockets[0]!;
    const deep = socket.subscribe(
      `subscription { lotChanged { location { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } }`,
    );
    const badVariable = socket.subscribe(`subscription ($id: ID) { lotChanged(lotId: $id) { id } }`, {
      id: { not: "an id" },
    });
    const nul = socket.subscribe(`subscription ($id: ID) { lotChanged(lotId: $id) { id } }`, { id: "lot\u0000" });
    // Refused before it starts (an error message) or as it starts (one result with errors, then complete).
    const refusal = (subscription: typeof deep) =>
      subscription.error ?? subscription.results.find((result) => result.errors?.length)?.errors ?? null;
    await waitFor("three refusals", () => [deep, badVariable, nul].every((s) => refusal(s) !== null));
    expect(refusal(deep)!.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(refusal(badVariable)!.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(refusal(nul)!.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const still = socket.subscribe<{ holdPlaced: { id: string } }>(`subscription { holdPlaced { id } }`);
    await waitFor("the next subscription on the same socket", () => replica.gateway.liveStats().subscribers === 6);
    expect(socket.closed).toBeNull();
    still.unsubscribe();
  });

  it("caps connections per process with 1013, pings idle sockets, and closes with 1001 on shutdown", async () => {
    const replica = await startReplica("replica-limits", { maxConnections: 2, keepAliveMs: 200 });
    const admitted = [0, 1].map(() => LiveTestClient.withToken(replica.url, operatorToken));
    sockets.push(...admitted);
    for (const socket of admitted) socket.subscribe(`subscription { holdPlaced { id } }`);
    await waitFor("two subscribers", () => replica.gateway.liveStats().subscribers === 2);

    const third = LiveTestClient.withToken(replica.url, operatorToken);
    sockets.push(third);
    expect((await third.waitClosed()).code).toBe(1013);
    expect(replica.gateway.liveStats().connections).toBe(2);

    // A raw socket, to see the server's keep-alive pings (the graphql-ws client answers them unseen).
    const raw = new WebSocket(replica.url.replace(/^http/, "ws"), "graphql-transport-ws");
    await once(raw, "close"); // the cap holds for raw sockets too
    admitted[1]!.client.dispose();
    await waitFor("one connection left", () => replica.gateway.liveStats().connections === 1);
    const pinged = new WebSocket(replica.url.replace(/^http/, "ws"), "graphql-transport-ws");
    await once(pinged, "ping");
    pinged.terminate();

    await replica.stop();
    expect(await admitted[0]!.waitClosed()).toEqual({ code: 1001, reason: "Going away" });
  });
});
