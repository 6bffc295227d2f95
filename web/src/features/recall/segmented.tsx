"use client";

import styles from "./recall.module.css";

/** A choice of a few, shown all at once (a filter, a kind): radio buttons drawn as one bar. */
export function Segmented<Value extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: ReadonlyArray<{ value: Value; label: string }>;
  value: string;
  onChange(value: Value): void;
}) {
  return (
    <fieldset className={styles.segmented}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}
