"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { FormActions } from "@/components/form-actions";
import { FormField } from "@/components/form-field";
import { ListFooter } from "@/components/list-footer";
import { ActionDialog } from "@/components/signature-dialog";
import { AccessBadge } from "@/components/status-badge";
import { useMe } from "@/features/auth/use-me";
import { problemOf } from "@/lib/problem";
import { usePaged } from "@/lib/use-paged";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import type { Role } from "@/lib/roles";
import { CreateUserMutation, DeactivateUserMutation, UpdateUserMutation, UsersQuery } from "./operations";
import { RolePicker, roleNames } from "./role-picker";
import formStyles from "@/components/form.module.css";
import styles from "./admin.module.css";

const PAGE_SIZE = 50;
const MIN_PASSWORD = 12;

interface Person {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  active: boolean;
}

type Pending = { kind: "edit" | "deactivate"; person: Person } | null;

export function UsersPanel() {
  const { me } = useMe();
  const [revision, setRevision] = useState(0);
  const [pending, setPending] = useState<Pending>(null);
  const users = usePaged(UsersQuery, {}, (data) => data.users, { pageSize: PAGE_SIZE, revision });
  const reload = () => setRevision((n) => n + 1);
  return (
    <section className={styles.section} aria-labelledby="users-title">
      <div className={styles.sectionHeader}>
        <h2 id="users-title">People</h2>
        <p className={styles.hint}>
          Changed roles and deactivations reach open sessions and floor screens within 15 seconds.
        </p>
      </div>
      <CreateUserForm onCreated={reload} />
      {users.loading ? (
        <p role="status">Loading people…</p>
      ) : users.error && users.items.length === 0 ? (
        <p role="alert">{describeError(users.error)}</p>
      ) : (
        <>
          <PeopleTable people={users.items} myId={me?.id} onAction={setPending} />
          <ListFooter list={users} noun="people" />
        </>
      )}
      {pending?.kind === "edit" && (
        <EditPersonDialog person={pending.person} onClose={() => setPending(null)} onSaved={reload} />
      )}
      {pending?.kind === "deactivate" && (
        <DeactivateDialog person={pending.person} onClose={() => setPending(null)} onDone={reload} />
      )}
    </section>
  );
}

function PeopleTable({
  people,
  myId,
  onAction,
}: {
  people: ReadonlyArray<Person & { createdAt: string }>;
  myId: string | undefined;
  onAction(pending: Pending): void;
}) {
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
            <th scope="col">Access</th>
            <th scope="col">Since</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.id} data-testid="user-row" className={person.active ? undefined : styles.inactiveRow}>
              <th scope="row">{person.name}</th>
              <td>{person.email}</td>
              <td>{roleNames(person.roles)}</td>
              <td>
                <AccessBadge status={person.active ? "ACTIVE" : "DEACTIVATED"} />
              </td>
              <td>{formatDateTime(person.createdAt)}</td>
              <td className={styles.rowActions}>
                <PersonActions person={person} isMe={person.id === myId} onAction={onAction} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PersonActions({ person, isMe, onAction }: { person: Person; isMe: boolean; onAction(p: Pending): void }) {
  if (!person.active) return null;
  return (
    <>
      <button
        type="button"
        className="button"
        aria-label={`Edit ${person.name}`}
        onClick={() => onAction({ kind: "edit", person })}
      >
        Edit
      </button>
      {/* Not yourself: the API refuses it, so the button is not offered. */}
      {!isMe && (
        <button
          type="button"
          className="button button-danger"
          aria-label={`Deactivate ${person.name}`}
          onClick={() => onAction({ kind: "deactivate", person })}
        >
          Deactivate
        </button>
      )}
    </>
  );
}

/** A person's name and roles, changed by an administrator. */
function EditPersonDialog({ person, onClose, onSaved }: { person: Person; onClose(): void; onSaved(): void }) {
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const [, update] = useMutation(UpdateUserMutation);
  return (
    <ActionDialog
      title={`Edit ${person.name}`}
      summary={<p>{person.email}</p>}
      submitLabel="Save"
      onClose={onClose}
      onSubmit={async (form) => {
        const result = await update({
          input: { userId: person.id, name: String(form.get("name") ?? "").trim(), roles },
        });
        if (result.error) return problemOf(result.error);
        onSaved();
        return null;
      }}
    >
      {(problem) => (
        <>
          <label>
            Name
            <input
              name="name"
              className="input"
              defaultValue={person.name}
              required
              maxLength={200}
              autoComplete="off"
              aria-invalid={problem?.field === "name" || undefined}
            />
          </label>
          <RolePicker
            idPrefix={`edit-${person.id}`}
            value={roles}
            onChange={setRoles}
            error={problem?.field === "roles" ? problem.message : undefined}
          />
        </>
      )}
    </ActionDialog>
  );
}

function DeactivateDialog({ person, onClose, onDone }: { person: Person; onClose(): void; onDone(): void }) {
  const [, deactivate] = useMutation(DeactivateUserMutation);
  return (
    <ActionDialog
      title={`Deactivate ${person.name}`}
      summary={
        <p>
          {person.name} is signed out everywhere within 15 seconds and can no longer sign in or sign releases. Their
          name stays in the audit trail.
        </p>
      }
      submitLabel="Deactivate"
      busyLabel="Deactivating…"
      onClose={onClose}
      onSubmit={async () => {
        const result = await deactivate({ input: { userId: person.id } });
        if (result.error) return problemOf(result.error);
        onDone();
        return null;
      }}
    >
      {null}
    </ActionDialog>
  );
}

const EMPTY = { name: "", email: "", password: "", roles: ["VIEWER"] as Role[] };

function CreateUserForm({ onCreated }: { onCreated(): void }) {
  const [form, setForm] = useState(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const [{ fetching, error }, createUser] = useMutation(CreateUserMutation);
  const problem = error ? problemOf(error) : null;
  const fieldError = (field: string) => (problem?.field === field ? problem.message : undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const result = await createUser({
      input: { name: form.name.trim(), email: form.email.trim(), password: form.password, roles: form.roles },
    });
    if (result.data) {
      setCreated(`${result.data.createUser.user.name} can now sign in as ${result.data.createUser.user.email}.`);
      setForm(EMPTY);
      onCreated();
    }
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="new-user-title">
      <h3 id="new-user-title">Add a person</h3>
      {created && (
        <p className={formStyles.success} role="status">
          {created}
        </p>
      )}
      <UserFields form={form} setForm={setForm} fieldError={fieldError} />
      <RolePicker
        idPrefix="new-user"
        value={form.roles}
        onChange={(roles) => setForm({ ...form, roles })}
        error={fieldError("roles")}
      />
      <FormActions problem={problem} busy={fetching} label="Add person" busyLabel="Adding…" />
    </form>
  );
}

type UserForm = typeof EMPTY;

/** The new person's name, email and first password. */
function UserFields({
  form,
  setForm,
  fieldError,
}: {
  form: UserForm;
  setForm(form: UserForm): void;
  fieldError(field: string): string | undefined;
}) {
  const tooShort = form.password.length > 0 && form.password.length < MIN_PASSWORD;
  return (
    <div className={formStyles.grid}>
      <FormField label="Name" error={fieldError("name")}>
        <input
          className="input"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          autoComplete="off"
        />
      </FormField>
      <FormField label="Email" error={fieldError("email")}>
        <input
          className="input"
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          autoComplete="off"
        />
      </FormField>
      <FormField
        label="First password"
        error={fieldError("password") ?? (tooShort ? `At least ${MIN_PASSWORD} characters.` : undefined)}
        hint="They can change it after signing in."
      >
        <input
          className="input"
          type="password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          autoComplete="new-password"
        />
      </FormField>
    </div>
  );
}
