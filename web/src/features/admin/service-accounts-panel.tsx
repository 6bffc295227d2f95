"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { FormActions } from "@/components/form-actions";
import { FormField } from "@/components/form-field";
import { ActionDialog } from "@/components/signature-dialog";
import { AccessBadge } from "@/components/status-badge";
import { ShownOnce } from "@/components/shown-once";
import { problemOf } from "@/lib/problem";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import type { Role } from "@/lib/roles";
import {
  CreateServiceAccountMutation,
  RevokeServiceAccountMutation,
  RotateServiceAccountTokenMutation,
  ServiceAccountsQuery,
} from "./operations";
import { RolePicker, roleNames } from "./role-picker";
import formStyles from "@/components/form.module.css";
import styles from "./admin.module.css";

/** The API's default and ceiling for a token's life (createServiceAccount's expiresInDays). */
const DEFAULT_DAYS = 90;
const MAX_DAYS = 730;

interface Account {
  id: string;
  name: string;
  status: string;
}

type Pending = { kind: "rotate" | "revoke"; account: Account } | null;

export function ServiceAccountsPanel() {
  const [{ data, fetching, error }, reload] = useQuery({ query: ServiceAccountsQuery, requestPolicy: "network-only" });
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const refresh = () => reload({ requestPolicy: "network-only" });
  const accounts = data?.serviceAccounts ?? [];
  return (
    <section className={styles.section} aria-labelledby="accounts-title">
      <div className={styles.sectionHeader}>
        <h2 id="accounts-title">Service accounts</h2>
        <p className={styles.hint}>
          For ERP integrations and line displays. A display needs only the Viewer role; open{" "}
          <code>/floor/&lt;line code&gt;</code> on it and paste the token once. Tokens expire: rotate one before its
          date and give the integration the new token.
        </p>
      </div>
      <CreateServiceAccountForm
        onCreated={(created) => {
          setIssued(created);
          refresh();
        }}
      />
      {issued && <IssuedToken key={issued.token} issued={issued} />}
      {fetching && !data ? (
        <p role="status">Loading service accounts…</p>
      ) : error ? (
        <p role="alert">{describeError(error)}</p>
      ) : accounts.length === 0 ? (
        <p className={styles.empty}>No service account yet.</p>
      ) : (
        <AccountsTable accounts={accounts} onAction={setPending} />
      )}
      {pending?.kind === "rotate" && (
        <RotateDialog
          account={pending.account}
          onClose={() => setPending(null)}
          onRotated={(token) => {
            setIssued({ name: pending.account.name, token });
            refresh();
          }}
        />
      )}
      {pending?.kind === "revoke" && (
        <RevokeDialog account={pending.account} onClose={() => setPending(null)} onRevoked={refresh} />
      )}
    </section>
  );
}

type AccountRow = Account & {
  trustedDocumentsOnly: boolean;
  roles: readonly string[];
  expiresAt?: string | null;
  lastUsedAt?: string | null;
  createdAt: string;
  createdBy?: { name: string } | null;
};

function AccountsTable({ accounts, onAction }: { accounts: readonly AccountRow[]; onAction(pending: Pending): void }) {
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Roles</th>
            <th scope="col">Access</th>
            <th scope="col">Token expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id} data-testid="service-account-row">
              <th scope="row">{account.name}</th>
              <td>{roleNames(account.roles)}</td>
              <td>
                <AccessBadge status={account.status} />
                {account.trustedDocumentsOnly && <div className={styles.by}>registered operations only</div>}
              </td>
              <td>{account.expiresAt ? formatDateTime(account.expiresAt) : "Never (rotate it)"}</td>
              <td>{account.lastUsedAt ? formatDateTime(account.lastUsedAt) : "Not yet"}</td>
              <td>
                {formatDateTime(account.createdAt)}
                {account.createdBy && <span className={styles.by}> by {account.createdBy.name}</span>}
              </td>
              <td className={styles.rowActions}>
                {account.status !== "REVOKED" && (
                  <>
                    <button type="button" className="button" onClick={() => onAction({ kind: "rotate", account })}>
                      Rotate token
                    </button>
                    <button
                      type="button"
                      className="button button-danger"
                      onClick={() => onAction({ kind: "revoke", account })}
                    >
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateServiceAccountForm({ onCreated }: { onCreated(issued: { name: string; token: string }): void }) {
  const [name, setName] = useState("");
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [roles, setRoles] = useState<Role[]>(["VIEWER"]);
  const [registeredOnly, setRegisteredOnly] = useState(false);
  const [{ fetching, error }, create] = useMutation(CreateServiceAccountMutation);
  const problem = error ? problemOf(error) : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await create({
      input: { name: name.trim(), roles, expiresInDays: Number(days), trustedDocumentsOnly: registeredOnly },
    });
    if (result.data) {
      const { token, serviceAccount } = result.data.createServiceAccount;
      onCreated({ name: serviceAccount.name, token });
      setName("");
      setDays(String(DEFAULT_DAYS));
    }
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="new-account-title">
      <h3 id="new-account-title">Add a service account</h3>
      <div className={`${formStyles.grid} ${styles.narrow}`}>
        <FormField
          label="Name"
          error={problem?.field === "name" ? problem.message : undefined}
          hint="e.g. SAP S/4 or Line 2 display"
        >
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </FormField>
        <DaysField
          value={days}
          onChange={setDays}
          error={problem?.field === "expiresInDays" ? problem.message : undefined}
        />
      </div>
      <RolePicker
        idPrefix="new-account"
        value={roles}
        onChange={setRoles}
        error={problem?.field === "roles" ? problem.message : undefined}
      />
      <RegisteredOnlyChoice value={registeredOnly} onChange={setRegisteredOnly} />
      <FormActions problem={problem} busy={fetching} label="Create and show token" busyLabel="Creating…" />
    </form>
  );
}

function RegisteredOnlyChoice({ value, onChange }: { value: boolean; onChange(value: boolean): void }) {
  return (
    <label className={`${styles.role} ${styles.option}`}>
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
      <span>
        <strong>Registered operations only</strong>{" "}
        <span className={styles.hint}>for an ERP integration whose queries are in schema/trusted-documents</span>
      </span>
    </label>
  );
}

function DaysField({ value, onChange, error }: { value: string; onChange(value: string): void; error?: string }) {
  return (
    <FormField
      label="Token valid for (days)"
      error={error}
      hint={`1 to ${MAX_DAYS}; ${DEFAULT_DAYS} unless the integration needs longer.`}
    >
      <input
        className="input"
        type="number"
        min={1}
        max={MAX_DAYS}
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </FormField>
  );
}

function RotateDialog({
  account,
  onClose,
  onRotated,
}: {
  account: Account;
  onClose(): void;
  onRotated(token: string): void;
}) {
  const [, rotate] = useMutation(RotateServiceAccountTokenMutation);
  return (
    <ActionDialog
      title={`Rotate the token of ${account.name}`}
      summary={
        <p>
          A new token is shown once. The current token stops working within 15 seconds: have the new one ready to put in
          the integration.
        </p>
      }
      submitLabel="Rotate and show the new token"
      busyLabel="Rotating…"
      onClose={onClose}
      onSubmit={async (form) => {
        const result = await rotate({
          input: { serviceAccountId: account.id, expiresInDays: Number(form.get("expiresInDays") ?? DEFAULT_DAYS) },
        });
        if (result.error) return problemOf(result.error);
        if (result.data) onRotated(result.data.rotateServiceAccountToken.token);
        return null;
      }}
    >
      {(problem) => (
        <label>
          New token valid for (days)
          <input
            name="expiresInDays"
            className="input"
            type="number"
            min={1}
            max={MAX_DAYS}
            defaultValue={DEFAULT_DAYS}
            aria-invalid={problem?.field === "expiresInDays" || undefined}
          />
        </label>
      )}
    </ActionDialog>
  );
}

function RevokeDialog({ account, onClose, onRevoked }: { account: Account; onClose(): void; onRevoked(): void }) {
  const [, revoke] = useMutation(RevokeServiceAccountMutation);
  return (
    <ActionDialog
      title={`Revoke ${account.name}`}
      summary={
        <p>
          Its token stops working within 15 seconds, and a display using it goes blank. This cannot be undone: a new
          service account is needed to connect the integration again.
        </p>
      }
      submitLabel="Revoke for good"
      busyLabel="Revoking…"
      onClose={onClose}
      onSubmit={async () => {
        const result = await revoke({ input: { serviceAccountId: account.id } });
        if (result.error) return problemOf(result.error);
        onRevoked();
        return null;
      }}
    >
      {null}
    </ActionDialog>
  );
}

/** A token just issued (a new account, or a rotation), shown once, with a button to copy it. */
function IssuedToken({ issued }: { issued: { name: string; token: string } }) {
  return (
    <ShownOnce label={`Token for ${issued.name}`} copyLabel="Copy token" value={issued.token}>
      <strong>Token for {issued.name}.</strong> It is shown only now: put it in the integration&apos;s secret store or
      paste it into the display.
    </ShownOnce>
  );
}
