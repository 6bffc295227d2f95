import type { TestClient } from "./graphql-client.ts";

type Id = { id: string };

/**
 * Runs a create-style mutation (`createX(input: CreateXInput!) { <field> { id } }`) and returns
 * the new id; the input type name follows the contract (mutation name, capitalized, + Input).
 */
export async function create(
  client: TestClient,
  mutation: string,
  input: Record<string, unknown>,
  field: string,
): Promise<string> {
  const type = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
  const data = await client.expectData<Record<string, Record<string, Id>>>(
    `mutation ($input: ${type}!) { ${mutation}(input: $input) { ${field} { id } } }`,
    { input },
  );
  return data[mutation]![field]!.id;
}

/** The people of a test plant, each a client signed in through the gateway. */
export interface PlantCrew {
  manager: TestClient;
  operator: TestClient;
}

/** Creates a MANAGER and an OPERATOR (as admin) and signs them in. */
export async function hireCrew(anonymous: TestClient, admin: TestClient, tag: string): Promise<PlantCrew> {
  const hire = async (role: string) => {
    const email = `${role.toLowerCase()}-${tag}@plant.test`;
    const password = `${role.toLowerCase()}-password-${tag}`;
    await create(admin, "createUser", { email, name: `${role} ${tag}`, roles: [role], password }, "user");
    return anonymous.as(await anonymous.login(email, password));
  };
  return { manager: await hire("MANAGER"), operator: await hire("OPERATOR") };
}

/**
 * One run of a new single-phase work order: starts it, consumes `[lotId, quantity]` pairs and
 * outputs one lot per `[code, quantity]` at `locationId`. Returns the run and its output lots.
 */
export async function runWorkOrder(
  crew: PlantCrew,
  options: {
    productId: string;
    locationId: string;
    consume: Array<[string, string]>;
    output: Array<[string, string]>;
    lineId?: string;
  },
): Promise<{ runId: string; lots: string[] }> {
  const { manager, operator } = crew;
  const workOrderId = await create(
    manager,
    "createWorkOrder",
    {
      productId: options.productId,
      plannedQuantity: "10",
      phases: [{ name: "Make" }],
      ...(options.lineId ? { lineId: options.lineId } : {}),
    },
    "workOrder",
  );
  await create(manager, "releaseWorkOrder", { workOrderId }, "workOrder");
  const runId = await create(operator, "startRun", { workOrderId }, "run");
  for (const [lotId, quantity] of options.consume) {
    await create(operator, "consumeLot", { runId, lotId, quantity }, "consumption");
  }
  const lots: string[] = [];
  for (const [code, quantity] of options.output) {
    const data = await operator.expectData<{ recordOutput: { output: { lot: Id } } }>(
      `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
      { input: { runId, code, quantity, locationId: options.locationId } },
    );
    lots.push(data.recordOutput.output.lot.id);
  }
  return { runId, lots };
}
