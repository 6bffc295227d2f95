"use client";

import type { Role } from "@/lib/roles";
import styles from "./admin.module.css";

/** What each role is for, in the words of the plant (the API's role descriptions). */
export const ROLE_CHOICES: ReadonlyArray<{ role: Role; label: string; hint: string }> = [
  { role: "VIEWER", label: "Viewer", hint: "reads everything operational" },
  { role: "OPERATOR", label: "Operator", hint: "receives, runs the line, records checks" },
  { role: "MANAGER", label: "Manager", hint: "plans, adjusts stock, holds and releases" },
  { role: "AUDITOR", label: "Auditor", hint: "reads everything, with the audit trail" },
  { role: "ADMIN", label: "Administrator", hint: "users and service accounts; everything" },
];

export function RolePicker({
  value,
  onChange,
  error,
  idPrefix,
}: {
  value: Role[];
  onChange(roles: Role[]): void;
  error?: string | undefined;
  idPrefix: string;
}) {
  const toggle = (role: Role, on: boolean) => onChange(on ? [...value, role] : value.filter((held) => held !== role));
  return (
    <fieldset className={styles.roles} aria-describedby={`${idPrefix}-roles-error`}>
      <legend>Roles</legend>
      {ROLE_CHOICES.map((choice) => (
        <label key={choice.role} className={styles.role}>
          <input
            type="checkbox"
            checked={value.includes(choice.role)}
            onChange={(event) => toggle(choice.role, event.target.checked)}
          />
          <span>
            <strong>{choice.label}</strong> <span className={styles.hint}>{choice.hint}</span>
          </span>
        </label>
      ))}
      <p id={`${idPrefix}-roles-error`} className={styles.fieldError} role={error ? "alert" : undefined}>
        {error}
      </p>
    </fieldset>
  );
}

export const roleNames = (roles: readonly string[]) =>
  roles.map((role) => ROLE_CHOICES.find((c) => c.role === role)?.label ?? role).join(", ");
