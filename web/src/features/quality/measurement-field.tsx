"use client";

import { formatLimits } from "./format-limits";
import styles from "./quality.module.css";

export interface Spec {
  name: string;
  lower: number;
  upper: number;
  unit: string;
}

/** The typed value as a number: a comma works as the decimal mark too; NaN when it is not one. */
export function parseMeasurement(text: string): number {
  return Number(text.trim().replace(",", "."));
}

/**
 * One characteristic's measured value, its limits and unit beside it, flagged as soon as it is
 * outside them. The flag only informs: whether a PASS may be recorded is the API's to say.
 */
export function MeasurementField({
  spec,
  value,
  onChange,
  problem,
}: {
  spec: Spec;
  value: string;
  onChange(value: string): void;
  problem?: string;
}) {
  const id = `measurement-${spec.name.replace(/\W+/g, "-")}`;
  const number = parseMeasurement(value);
  const typed = value.trim() !== "";
  const notNumber = typed && Number.isNaN(number);
  const outside = typed && !notNumber && (number < spec.lower || number > spec.upper);
  const limits = formatLimits(spec.lower, spec.upper, spec.unit);
  const message =
    problem ?? (notNumber ? "Enter a number, e.g. 12.5." : outside ? `Outside the limits (${limits}).` : null);
  return (
    <div className={styles.measurementField}>
      <label htmlFor={id}>
        {spec.name} {spec.unit && <span className={styles.unit}>({spec.unit})</span>}
      </label>
      <div className={styles.measurementInput}>
        <input
          id={id}
          name={`measurement:${spec.name}`}
          className={`input ${message ? styles.invalid : typed ? styles.valid : ""}`}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          aria-invalid={message ? true : undefined}
          aria-describedby={`${id}-limits`}
          onChange={(event) => onChange(event.target.value)}
        />
        {spec.unit && <span className={styles.unitSuffix}>{spec.unit}</span>}
      </div>
      <p id={`${id}-limits`} className={message ? styles.fieldError : styles.fieldHint}>
        {message ?? (typed ? `✓ Within ${limits}` : `Limits ${limits}`)}
      </p>
    </div>
  );
}
