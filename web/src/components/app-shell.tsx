import type { ReactNode } from "react";
import { AppHeader } from "./app-header";
import styles from "./app-shell.module.css";

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <AppHeader />
      <main className={styles.main}>{children}</main>
    </div>
  );
}
