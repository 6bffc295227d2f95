import type { CharacteristicRecord, GateRecord } from "./records.ts";

/** What an update asks to change; absent fields stay as they are. */
export interface GateUpdate {
  name?: string | null;
  blocking?: boolean | null;
  criticalControlPoint?: boolean | null;
  segregationOfDuties?: boolean | null;
  characteristics?: CharacteristicRecord[] | null;
}

/** The fields an update really changes, with their new values. */
export type GateDiff = {
  name?: string;
  blocking?: boolean;
  criticalControlPoint?: boolean;
  segregationOfDuties?: boolean;
  characteristics?: CharacteristicRecord[];
};

const FLAGS = ["blocking", "criticalControlPoint", "segregationOfDuties"] as const;

/** The fields of `update` whose value differs from the gate's. */
export function diffGate(gate: GateRecord, update: GateUpdate): GateDiff {
  const diff: GateDiff = {};
  if (update.name != null && update.name !== gate.name) diff.name = update.name;
  for (const flag of FLAGS) {
    const value = update[flag];
    if (value != null && value !== gate[flag]) diff[flag] = value;
  }
  if (update.characteristics && !sameChecklist(gate.characteristics, update.characteristics))
    diff.characteristics = update.characteristics;
  return diff;
}

/**
 * What in a change would let material through that the gate as it is would stop, one phrase per
 * loosening: a flag turned off (blocking, critical control point, segregation of duties), a
 * characteristic dropped, its unit changed, or its limits widened. Tightening (a flag turned on, a
 * characteristic added, limits narrowed) and renaming loosen nothing: stricter checks never let
 * material past a gate.
 */
export function loosenings(gate: GateRecord, diff: GateDiff): string[] {
  const found: string[] = [];
  for (const flag of FLAGS) if (diff[flag] === false && gate[flag]) found.push(`${flag} turned off`);
  if (!diff.characteristics) return found;
  const next = new Map(diff.characteristics.map((c) => [c.name, c]));
  for (const old of gate.characteristics) {
    const now = next.get(old.name);
    if (!now) found.push(`characteristic ${old.name} removed`);
    else if (now.unit !== old.unit) found.push(`characteristic ${old.name} changes unit`);
    else if (now.lower < old.lower || now.upper > old.upper)
      found.push(
        `characteristic ${old.name} widened from [${old.lower}, ${old.upper}] to [${now.lower}, ${now.upper}]`,
      );
  }
  return found;
}

function sameChecklist(a: readonly CharacteristicRecord[], b: readonly CharacteristicRecord[]): boolean {
  return (
    a.length === b.length &&
    a.every((c, i) => {
      const d = b[i]!;
      return c.name === d.name && c.lower === d.lower && c.upper === d.upper && c.unit === d.unit;
    })
  );
}
