"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { FormActions } from "@/components/form-actions";
import { FormField } from "@/components/form-field";
import pageStyles from "@/components/page.module.css";
import { useMe } from "@/features/auth/use-me";
import { roleNames } from "@/features/admin/role-picker";
import { problemOf } from "@/lib/problem";
import formStyles from "@/components/form.module.css";
import { ChangePasswordMutation } from "./operations";

const MIN_PASSWORD = 12;
const EMPTY = { currentPassword: "", newPassword: "", repeat: "" };

/** Who is signed in, and their own password (every role). */
export function AccountScreen() {
  const { me } = useMe();
  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <h1 className={pageStyles.title}>Your account</h1>
          {me && (
            <p className={pageStyles.lede}>
              {me.name} · {me.email} · {roleNames(me.roles)}
            </p>
          )}
        </div>
      </div>
      <ChangePasswordForm />
    </>
  );
}

function ChangePasswordForm() {
  const [form, setForm] = useState(EMPTY);
  const [changed, setChanged] = useState(false);
  const [{ fetching, error }, change] = useMutation(ChangePasswordMutation);
  const problem = error ? problemOf(error) : null;
  const tooShort = form.newPassword.length > 0 && form.newPassword.length < MIN_PASSWORD;
  const mismatch = form.repeat.length > 0 && form.repeat !== form.newPassword;
  const fieldError = (field: string) => (problem?.field === field ? problem.message : undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    if (tooShort || mismatch || !form.newPassword) return;
    const result = await change({ input: { currentPassword: form.currentPassword, newPassword: form.newPassword } });
    if (result.data) {
      setChanged(true);
      setForm(EMPTY);
    }
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      {changed && (
        <p className={formStyles.success} role="status">
          Your password is changed. Use it the next time you sign in or sign a release.
        </p>
      )}
      <PasswordFields form={form} setForm={setForm} fieldError={fieldError} tooShort={tooShort} mismatch={mismatch} />
      <FormActions problem={problem} busy={fetching} label="Change password" busyLabel="Changing…" />
    </form>
  );
}

type PasswordForm = typeof EMPTY;

function PasswordFields({
  form,
  setForm,
  fieldError,
  tooShort,
  mismatch,
}: {
  form: PasswordForm;
  setForm(form: PasswordForm): void;
  fieldError(field: string): string | undefined;
  tooShort: boolean;
  mismatch: boolean;
}) {
  return (
    <div className={formStyles.grid}>
      <FormField label="Current password" error={fieldError("currentPassword")}>
        <input
          className="input"
          type="password"
          value={form.currentPassword}
          onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
          autoComplete="current-password"
        />
      </FormField>
      <FormField
        label="New password"
        error={fieldError("newPassword") ?? (tooShort ? `At least ${MIN_PASSWORD} characters.` : undefined)}
        hint={`At least ${MIN_PASSWORD} characters, and not a common password: a phrase of a few words is easy to remember.`}
      >
        <input
          className="input"
          type="password"
          value={form.newPassword}
          onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
          autoComplete="new-password"
        />
      </FormField>
      <FormField label="New password again" error={mismatch ? "The two new passwords differ." : undefined}>
        <input
          className="input"
          type="password"
          value={form.repeat}
          onChange={(e) => setForm({ ...form, repeat: e.target.value })}
          autoComplete="new-password"
        />
      </FormField>
    </div>
  );
}
