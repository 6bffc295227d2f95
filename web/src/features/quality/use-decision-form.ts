"use client";

import type { CombinedError } from "@urql/core";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import type { QcResult, RecordQcDecisionMutation as RecordedDecision } from "@/gql/graphql";
import { problemOf, type Problem } from "@/lib/problem";
import { useLotLookup } from "./lot-code-field";
import { parseMeasurement } from "./measurement-field";
import { RecordQcDecisionMutation } from "./operations";
import type { Gate } from "./quality-screen";

/** Fields the API names in its refusals, and where their message goes. */
const FIELD_OF: Record<string, string> = { lotId: "lot", runId: "run", notes: "notes", decision: "result" };

/** The measurements typed at the gate, skipping characteristics left empty (NaN when not a number). */
function readMeasurements(gate: Gate, values: Record<string, string>) {
  return gate.characteristics
    .filter((c) => (values[c.name] ?? "").trim() !== "")
    .map((c) => ({ characteristic: c.name, value: parseMeasurement(values[c.name]!) }));
}

/** The API's refusal, on the form's own field. */
function refusalProblem(error: CombinedError): Problem {
  const next = problemOf(error);
  const field = next.field ? (FIELD_OF[next.field] ?? next.field) : undefined;
  // The API's words for "neither a lot nor a run" name its input fields; say it in the form's.
  const message = field === "lot" && /runId/.test(next.message) ? "Give a lot code, a run, or both." : next.message;
  return { message, field };
}

function recordedText(recorded: RecordedDecision["recordQcDecision"]): string {
  const subject = recorded.decision.lot ? `lot ${recorded.decision.lot.code}` : "the run";
  const held = recorded.affectedLots.length;
  return (
    `${recorded.decision.result} recorded for ${subject} at ${recorded.decision.gate.name}.` +
    (held ? ` ${held} ${held === 1 ? "lot is" : "lots are"} now on hold.` : "")
  );
}

/** The decision being recorded: gate, lot or run, result, measurements and notes, and recording it. */
export function useDecisionForm(gates: Gate[], initialGateId: string | null) {
  const [gateId, setGateId] = useState(initialGateId ?? gates[0]?.id ?? "");
  const gate = gates.find((g) => g.id === gateId);
  const [lotCode, setLotCode] = useState("");
  const lot = useLotLookup();
  const [runId, setRunId] = useState("");
  const [result, setResult] = useState<QcResult | "">("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [{ fetching }, record] = useMutation(RecordQcDecisionMutation);

  function chooseGate(id: string) {
    setGateId(id);
    setValues({});
    setProblem(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    if (!gate || !result) return;
    const found = lotCode.trim() ? await lot.resolve(lotCode) : null;
    if (found && found.state !== "found") return; // the field already says why
    const measurements = readMeasurements(gate, values);
    const invalid = measurements.find((m) => Number.isNaN(m.value));
    if (invalid)
      return setProblem({ message: "Enter a number, e.g. 12.5.", field: `measurement:${invalid.characteristic}` });
    const lotId = found?.state === "found" ? found.lot.id : null;
    const response = await record({
      input: {
        gateId: gate.id,
        lotId,
        runId: runId || null,
        decision: result,
        notes: notes.trim() || null,
        measurements,
      },
    });
    if (response.error) return setProblem(refusalProblem(response.error));
    const recorded = response.data?.recordQcDecision;
    if (!recorded) return;
    setDone(recordedText(recorded));
    setLotCode("");
    lot.clear();
    setRunId("");
    setResult("");
    setValues({});
    setNotes("");
  }

  return {
    gate: { gateId, gate, chooseGate },
    subject: { lotCode, setLotCode, lot, runId, setRunId },
    answers: { result, setResult, values, setValues, notes, setNotes },
    problem,
    done,
    fetching,
    submit,
  };
}

export type DecisionDraft = ReturnType<typeof useDecisionForm>;
