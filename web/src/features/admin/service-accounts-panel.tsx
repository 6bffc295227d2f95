"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { FormField } from "@/components/form-field";
import { problemOf } from "@/lib/problem";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import type { Role } from "@/lib/roles";
import { CreateServiceAccountMutation, ServiceAccountsQuery } from "./operations";
import { RolePicker, roleNames } from "./role-picker";
import formStyles from "@/components/form.module.css";
import styles from "./admin.module.css";

export function ServiceAccountsPanel() {
  const [{ data, fetching, error }, reload] = useQuery({ query: ServiceAccountsQuery, requestPolicy: "network-only" });
  const accounts = data?.serviceAccounts ?? [];
  return (
    <section className={styles.section} aria-labelledby="accounts-title">
      <div className={styles.sectionHeader}>
        <h2 id="accounts-title">Service accounts</h2>
        <p className={styles.hint}>
          For ERP integrations and line displays. A display needs only the Viewer role; open{" "}
          <code>/floor/&lt;line code&gt;</code> on it and paste the token once.
        </p>
      </div>
      <CreateServiceAccountForm onCreated={() => reload({ requestPolicy: "network-only" })} />
      {fetching && !data ? (
        <p role="status">Loading service accounts…</p>
      ) : error ? (
        <p role="alert">{describeError(error)}</p>
      ) : accounts.length === 0 ? (
        <p className={styles.empty}>No service account yet.</p>
      ) : (
        <div className={tableStyles.tableWrap}>
          <table className={tableStyles.table}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Created</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id} data-testid="service-account-row">
                  <th scope="row">{account.name}</th>
                  <td>{roleNames(account.roles)}</td>
                  <td>{formatDateTime(account.createdAt)}</td>
                  <td>{account.createdBy?.name ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CreateServiceAccountForm({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState("");
  const [roles, setRoles] = useState<Role[]>(["VIEWER"]);
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const [{ fetching, error }, create] = useMutation(CreateServiceAccountMutation);
  const problem = error ? problemOf(error) : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setIssued(null);
    const result = await create({ input: { name: name.trim(), roles } });
    if (result.data) {
      const { token, serviceAccount } = result.data.createServiceAccount;
      setIssued({ name: serviceAccount.name, token });
      setName("");
      onCreated();
    }
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="new-account-title">
      <h3 id="new-account-title">Add a service account</h3>
      {issued && <IssuedToken key={issued.token} issued={issued} />}
      <div className={`${formStyles.grid} ${styles.narrow}`}>
        <FormField
          label="Name"
          error={problem?.field === "name" ? problem.message : undefined}
          hint="e.g. SAP S/4 or Line 2 display"
        >
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </FormField>
      </div>
      <RolePicker
        idPrefix="new-account"
        value={roles}
        onChange={setRoles}
        error={problem?.field === "roles" ? problem.message : undefined}
      />
      <div className={formStyles.actions}>
        {problem && !problem.field && (
          <p className={formStyles.fieldError} role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Creating…" : "Create and show token"}
        </button>
      </div>
    </form>
  );
}

/** The new account's token, shown once, with a button to copy it. */
function IssuedToken({ issued }: { issued: { name: string; token: string } }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={styles.token} role="status">
      <p>
        <strong>Token for {issued.name}.</strong> It is shown only now: put it in the integration&apos;s secret store or
        paste it into the display.
      </p>
      <textarea
        className={`input ${styles.tokenText}`}
        readOnly
        value={issued.token}
        aria-label={`Token for ${issued.name}`}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        className="button"
        onClick={() => void navigator.clipboard?.writeText(issued.token).then(() => setCopied(true))}
      >
        {copied ? "Copied" : "Copy token"}
      </button>
    </div>
  );
}
