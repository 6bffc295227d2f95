import styles from "./status-badge.module.css";

type Tone = "ok" | "warn" | "done" | "danger" | "info";

interface BadgeStyle {
  tone: Tone;
  label: string;
}

// Keyed by string so new enum values from the API still render (as neutral badges) instead of
// breaking the page.
const LOT_STATUS: Record<string, BadgeStyle> = {
  AVAILABLE: { tone: "ok", label: "Available" },
  QUARANTINE: { tone: "warn", label: "Quarantine" },
  ON_HOLD: { tone: "warn", label: "On hold" },
  CONSUMED: { tone: "done", label: "Consumed" },
  SHIPPED: { tone: "done", label: "Shipped" },
  SCRAPPED: { tone: "danger", label: "Scrapped" },
};

const QUALITY_STATUS: Record<string, BadgeStyle> = {
  PENDING: { tone: "info", label: "Pending" },
  PASSED: { tone: "ok", label: "Passed" },
  ON_HOLD: { tone: "warn", label: "On hold" },
  REJECTED: { tone: "danger", label: "Rejected" },
};

// A shape as well as a colour, for colour-blind readers and washed-out tablet screens.
const GLYPH: Record<Tone, string> = { ok: "✓", warn: "!", done: "■", danger: "✕", info: "…" };

function Badge({ style, title }: { style: BadgeStyle; title: string }) {
  return (
    <span className={`${styles.badge} ${styles[style.tone]}`} title={title}>
      <span className={styles.glyph} aria-hidden="true">
        {GLYPH[style.tone]}
      </span>
      {style.label}
    </span>
  );
}

function fallback(status: string): BadgeStyle {
  const words = status.replaceAll("_", " ").toLowerCase();
  return { tone: "done", label: words.charAt(0).toUpperCase() + words.slice(1) };
}

export function LotStatusBadge({ status }: { status: string }) {
  return <Badge style={LOT_STATUS[status] ?? fallback(status)} title={`Lot status: ${status}`} />;
}

export function QualityStatusBadge({ status }: { status: string }) {
  return <Badge style={QUALITY_STATUS[status] ?? fallback(status)} title={`Quality status: ${status}`} />;
}

const DECISION: Record<string, BadgeStyle> = {
  PASS: { tone: "ok", label: "Pass" },
  HOLD: { tone: "warn", label: "Hold" },
  FAIL: { tone: "danger", label: "Fail" },
};

export function DecisionBadge({ result }: { result: string }) {
  return <Badge style={DECISION[result] ?? fallback(result)} title={`QC decision: ${result}`} />;
}

export function HoldBadge({ active }: { active: boolean }) {
  return (
    <Badge
      style={active ? { tone: "warn", label: "On hold" } : { tone: "done", label: "Released" }}
      title={active ? "This hold stands" : "This hold was released"}
    />
  );
}

const ACCESS_STATUS: Record<string, BadgeStyle> = {
  ACTIVE: { tone: "ok", label: "Active" },
  EXPIRED: { tone: "warn", label: "Expired" },
  REVOKED: { tone: "danger", label: "Revoked" },
  DEACTIVATED: { tone: "done", label: "Deactivated" },
};

/** Whether a person or a service account may still sign in and call: active, expired, revoked or deactivated. */
export function AccessBadge({ status }: { status: string }) {
  return <Badge style={ACCESS_STATUS[status] ?? fallback(status)} title={`Access: ${status}`} />;
}

const DELIVERY_STATUS: Record<string, BadgeStyle> = {
  PENDING: { tone: "info", label: "Waiting" },
  DELIVERED: { tone: "ok", label: "Delivered" },
  DEAD: { tone: "danger", label: "Dead letter" },
  CANCELLED: { tone: "done", label: "Cancelled" },
};

/** Where a webhook delivery stands: waiting (its turn or a retry), delivered, dead letter or cancelled. */
export function DeliveryBadge({ status }: { status: string }) {
  return <Badge style={DELIVERY_STATUS[status] ?? fallback(status)} title={`Delivery: ${status}`} />;
}

const RECALL_STATUS: Record<string, BadgeStyle> = {
  OPEN: { tone: "warn", label: "Open" },
  CLOSED: { tone: "done", label: "Closed" },
};

/** A recall case: open until closed with a signature. */
export function RecallStatusBadge({ status }: { status: string }) {
  return <Badge style={RECALL_STATUS[status] ?? fallback(status)} title={`Recall case: ${status}`} />;
}

/** A real recall (holds, customers told) or a mock-recall drill (neither). */
export function RecallKindBadge({ drill }: { drill: boolean }) {
  return drill ? (
    <Badge style={{ tone: "info", label: "Drill" }} title="A mock-recall drill: no holds, nobody told" />
  ) : (
    <Badge style={{ tone: "danger", label: "Recall" }} title="A real recall: affected lots held, customers told" />
  );
}
