"use client";

import { useLiveStatus } from "@/lib/live-status";
import styles from "./live-indicator.module.css";

const LIVE_LABELS = {
  connecting: { label: "Connecting…", className: "" },
  live: { label: "Live", className: styles.on },
  reconnecting: { label: "Reconnecting…", className: styles.reconnecting },
} as const;

/** Whether changes made elsewhere in the plant show up here by themselves; `title` says which changes. */
export function LiveIndicator({ title }: { title: string }) {
  const status = useLiveStatus();
  return (
    <span className={`${styles.live} ${LIVE_LABELS[status].className}`} role="status" title={title}>
      <span className={styles.dot} aria-hidden="true" />
      {LIVE_LABELS[status].label}
    </span>
  );
}
