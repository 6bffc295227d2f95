import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "@/features/auth/login-form";
import styles from "@/features/auth/login.module.css";

export const metadata: Metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden="true">
            LG
          </span>
          <div>
            <h1 className={styles.title}>Lotgraph</h1>
            <p className={styles.subtitle}>Lot traceability for the plant floor</p>
          </div>
        </div>
        {/* The form reads ?next= from the address, which is only known in the browser. */}
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
}
