"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useId } from "react";
import { FormField } from "@/components/form-field";
import formStyles from "@/components/form.module.css";
import pageStyles from "@/components/page.module.css";
import { useMe } from "@/features/auth/use-me";
import { grants } from "@/lib/roles";
import { Segmented } from "./segmented";
import { SourcePreview } from "./source-preview";
import { useOpenRecall, type OpenRecallForm } from "./use-open-recall";
import styles from "./recall.module.css";

const SOURCE_KINDS = [
  { value: "lot", label: "Our lot" },
  { value: "supplierLotCode", label: "A supplier's lot code" },
] as const;

/** /recall/open: a recall or a drill, from a lot or a supplier lot code (MANAGER). */
export function OpenRecallScreen() {
  const { me, loading } = useMe();
  const params = useSearchParams();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["MANAGER"]))
    return (
      <div className={pageStyles.statePanel} role="alert">
        <h1>Open a recall</h1>
        <p>Only a quality manager may open a recall or run a drill. Ask one, or an administrator for the role.</p>
        <Link href="/recall" className="button">
          Back to recalls
        </Link>
      </div>
    );
  const supplierLotCode = params.get("supplierLotCode")?.trim() ?? "";
  return (
    <OpenRecall
      kind={supplierLotCode ? "supplierLotCode" : "lot"}
      code={supplierLotCode || (params.get("lot")?.trim() ?? "")}
      drill={params.get("drill") === "1"}
    />
  );
}

function OpenRecall(start: Parameters<typeof useOpenRecall>[0]) {
  const form = useOpenRecall(start);
  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <p className={pageStyles.breadcrumb}>
            <Link href="/recall">Recalls</Link> › {form.drill ? "New drill" : "New recall"}
          </p>
          <h1 className={pageStyles.title}>{form.drill ? "Run a mock-recall drill" : "Open a recall"}</h1>
          <p className={pageStyles.lede}>
            Lotgraph finds every lot made from the source, at every level, and every customer it reached.
          </p>
        </div>
      </div>
      <form
        className={styles.openLayout}
        onSubmit={form.submit}
        aria-label={form.drill ? "Run a drill" : "Open a recall"}
      >
        <div className={styles.openSteps}>
          <SourceStep form={form} />
          <KindStep form={form} />
          <ReasonStep form={form} />
        </div>
        <aside className={styles.openPreview} aria-label="What it reaches">
          <SourcePreview source={form.source} drill={form.drill} />
          <Confirm form={form} />
        </aside>
      </form>
    </>
  );
}

function SourceStep({ form }: { form: OpenRecallForm }) {
  const id = useId();
  const { check } = form.source;
  const codeField = form.kind === "lot" ? "lotId" : "supplierLotCode";
  const error =
    check.state === "missing" || check.state === "failed"
      ? check.message
      : form.problem?.field === codeField
        ? form.problem.message
        : (form.source.previewProblem ?? undefined);
  const hint =
    check.state === "checking"
      ? "Looking the lot up…"
      : check.state === "found" && check.materialName
        ? `✓ ${check.materialName}`
        : form.kind === "lot"
          ? "Scan the label, or type the code and press Enter."
          : "As on the supplier's notice: every lot received under it is included.";
  return (
    <section className={formStyles.card} aria-labelledby={id}>
      <h2 id={id}>What it starts from</h2>
      <Segmented
        legend="Start from"
        name="sourceKind"
        options={SOURCE_KINDS}
        value={form.kind}
        onChange={(kind) => form.change({ kind })}
      />
      <div className={styles.sourceField}>
        <FormField label={form.kind === "lot" ? "Lot code" : "Supplier lot code"} error={error} hint={hint}>
          <input
            name={codeField}
            className={`input ${styles.codeInput}`}
            autoComplete="off"
            spellCheck={false}
            required
            value={form.code}
            onChange={(event) => form.change({ code: event.target.value })}
            onBlur={() => void form.source.resolve(form.kind, form.code)}
            onKeyDown={(event) => {
              // A scanner types the code and presses Enter: look it up, do not send the form yet.
              if (event.key !== "Enter") return;
              event.preventDefault();
              void form.source.resolve(form.kind, form.code);
            }}
          />
        </FormField>
      </div>
    </section>
  );
}

/** The two kinds side by side, each saying plainly what it does to the plant. */
function KindStep({ form }: { form: OpenRecallForm }) {
  const id = useId();
  return (
    <section className={formStyles.card} aria-labelledby={id}>
      <h2 id={id}>A recall, or a drill</h2>
      <fieldset className={styles.kindChoice}>
        <legend className="visually-hidden">Recall or drill</legend>
        <label className={`${styles.kindCard} ${form.drill ? "" : styles.kindCardRecall}`}>
          <input type="radio" name="drill" checked={!form.drill} onChange={() => form.change({ drill: false })} />
          <span>
            <strong>Real recall</strong>
            <span>
              Holds every affected lot now, and any lot made from them or received under the code later. You record
              which customers were told, and close it with your signature.
            </span>
          </span>
        </label>
        <label className={`${styles.kindCard} ${form.drill ? styles.kindCardDrill : ""}`}>
          <input type="radio" name="drill" checked={form.drill} onChange={() => form.change({ drill: true })} />
          <span>
            <strong>Mock-recall drill</strong>
            <span>
              Places no holds and tells nobody. It answers the same questions, times the answer, and gives the drill
              report for the auditor.
            </span>
          </span>
        </label>
      </fieldset>
    </section>
  );
}

function ReasonStep({ form }: { form: OpenRecallForm }) {
  const id = useId();
  return (
    <section className={formStyles.card} aria-labelledby={id}>
      <h2 id={id}>Why</h2>
      <FormField
        label="Reason"
        error={form.problem?.field === "reason" ? form.problem.message : undefined}
        hint={
          form.drill
            ? "For the drill report, e.g. “Yearly mock recall 2026”."
            : "What happened, e.g. “Supplier notice: possible Salmonella in SL-4471”."
        }
      >
        <textarea
          name="reason"
          className={`input ${styles.reason}`}
          required
          maxLength={500}
          rows={3}
          value={form.reason}
          onChange={(event) => form.change({ reason: event.target.value })}
        />
      </FormField>
    </section>
  );
}

/** The button that holds the plant's stock, saying how much, and why it is not ready when it is not. */
function Confirm({ form }: { form: OpenRecallForm }) {
  const { problem, blocked, busy, drill } = form;
  const affected = form.source.preview?.affectedLots.length;
  const label = busy
    ? drill
      ? "Running the drill…"
      : "Opening and holding…"
    : drill
      ? "Run the drill"
      : affected === undefined
        ? "Open the recall"
        : `Open the recall and hold ${affected} ${affected === 1 ? "lot" : "lots"}`;
  return (
    <div className={styles.confirm}>
      {problem && !(problem.field === "lotId" || problem.field === "supplierLotCode" || problem.field === "reason") && (
        <p className={formStyles.fieldError} role="alert">
          {problem.message}
        </p>
      )}
      {blocked && <p className={styles.blockedNote}>{blocked}</p>}
      <button
        type="submit"
        className={`button button-primary button-block ${drill ? "" : styles.holdButton}`}
        disabled={busy || Boolean(blocked)}
      >
        {label}
      </button>
      <Link href="/recall" className="button button-block">
        Cancel
      </Link>
    </div>
  );
}
