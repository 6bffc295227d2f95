"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useMutation, type CombinedError } from "urql";
import { saveToken, useAuthToken } from "@/lib/auth-token";
import { errorCode } from "@/lib/errors";
import { LoginMutation } from "./operations";
import styles from "./login.module.css";

function loginErrorMessage(error: CombinedError): string {
  if (error.networkError) return "Lotgraph can't be reached. Check the network and try again.";
  switch (errorCode(error)) {
    case "UNAUTHENTICATED":
      // Said only after the right password: a deactivated account, not a typo.
      if (error.graphQLErrors[0]?.extensions["reason"] === "DEACTIVATED")
        return "This account is deactivated. Ask an administrator.";
      return "Wrong email or password";
    case "BAD_USER_INPUT":
      return "Enter a valid email address and your password.";
    case "FORBIDDEN":
      return "This account is disabled. Ask an administrator.";
    default:
      return "Sign-in failed. Try again in a moment.";
  }
}

/**
 * Where to go after signing in: the page that sent the user here (same origin paths only, so a
 * crafted link cannot send a fresh session elsewhere), else the floor dashboard.
 */
function landingPath(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}

export function LoginForm() {
  const router = useRouter();
  const landing = landingPath(useSearchParams().get("next"));
  const token = useAuthToken();
  const [{ fetching, error }, login] = useMutation(LoginMutation);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  // Someone already signed in on this device goes straight to work.
  useEffect(() => {
    if (token) router.replace(landing);
  }, [token, router, landing]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await login({ input: { email: email.trim(), password } });
    if (result.data) {
      saveToken(result.data.login.token);
      router.replace(landing);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit}>
      {error && (
        <p className={styles.error} role="alert">
          {loginErrorMessage(error)}
        </p>
      )}
      <label className={styles.field}>
        <span>Email</span>
        <input
          className="input"
          name="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className={styles.field}>
        <span>Password</span>
        <input
          className="input"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button className="button button-primary button-block" type="submit" disabled={fetching}>
        {fetching ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
