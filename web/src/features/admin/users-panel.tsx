"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import tableStyles from "@/components/data-table.module.css";
import { FormField } from "@/components/form-field";
import { ListFooter } from "@/components/list-footer";
import { problemOf } from "@/lib/problem";
import { usePaged } from "@/lib/use-paged";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import type { Role } from "@/lib/roles";
import { CreateUserMutation, UsersQuery } from "./operations";
import { RolePicker, roleNames } from "./role-picker";
import formStyles from "@/components/form.module.css";
import styles from "./admin.module.css";

const PAGE_SIZE = 50;
const MIN_PASSWORD = 12;

export function UsersPanel() {
  const [revision, setRevision] = useState(0);
  const users = usePaged(UsersQuery, {}, (data) => data.users, { pageSize: PAGE_SIZE, revision });
  return (
    <section className={styles.section} aria-labelledby="users-title">
      <div className={styles.sectionHeader}>
        <h2 id="users-title">People</h2>
      </div>
      <CreateUserForm onCreated={() => setRevision((n) => n + 1)} />
      {users.loading ? (
        <p role="status">Loading people…</p>
      ) : users.error && users.items.length === 0 ? (
        <p role="alert">{describeError(users.error)}</p>
      ) : (
        <>
          <div className={tableStyles.tableWrap}>
            <table className={tableStyles.table}>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Since</th>
                </tr>
              </thead>
              <tbody>
                {users.items.map((user) => (
                  <tr key={user.id} data-testid="user-row">
                    <th scope="row">{user.name}</th>
                    <td>{user.email}</td>
                    <td>{roleNames(user.roles)}</td>
                    <td>{formatDateTime(user.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter list={users} noun="people" />
        </>
      )}
    </section>
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
      <div className={formStyles.actions}>
        {problem && !problem.field && (
          <p className={formStyles.fieldError} role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Adding…" : "Add person"}
        </button>
      </div>
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
