import type { Metadata } from "next";
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
        <LoginForm />
      </div>
    </main>
  );
}
