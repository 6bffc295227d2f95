import styles from "./status.module.css";

type Tone = "ok" | "warn" | "done" | "danger" | "info";

// A shape as well as a colour, as the app's other badges do (status-badge.tsx).
const GLYPH: Record<Tone, string> = { ok: "✓", warn: "!", done: "■", danger: "✕", info: "…" };

const WORK_ORDER: Record<string, { tone: Tone; label: string }> = {
  PLANNED: { tone: "info", label: "Planned" },
  RELEASED: { tone: "ok", label: "Released" },
  IN_PROGRESS: { tone: "warn", label: "In progress" },
  COMPLETED: { tone: "done", label: "Completed" },
  CANCELLED: { tone: "danger", label: "Cancelled" },
};

const RUN: Record<string, { tone: Tone; label: string }> = {
  IN_PROGRESS: { tone: "warn", label: "In progress" },
  COMPLETED: { tone: "done", label: "Completed" },
  CANCELLED: { tone: "danger", label: "Cancelled" },
};

function Badge({ tone, label, title }: { tone: Tone; label: string; title: string }) {
  return (
    <span className={styles[tone]} title={title}>
      <span className={styles.glyph} aria-hidden="true">
        {GLYPH[tone]}
      </span>
      {label}
    </span>
  );
}

export function WorkOrderStatusBadge({ status }: { status: string }) {
  const style = WORK_ORDER[status] ?? { tone: "done", label: status };
  return <Badge {...style} title={`Work order status: ${status}`} />;
}

export function RunStatusBadge({ status }: { status: string }) {
  const style = RUN[status] ?? { tone: "done", label: status };
  return <Badge {...style} title={`Run status: ${status}`} />;
}
