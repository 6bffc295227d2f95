"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useQuery } from "urql";
import { useMe } from "@/features/auth/use-me";
import type { AuditTrailFilter } from "@/gql/graphql";
import { readToken } from "@/lib/auth-token";
import { downloadWithToken } from "@/lib/download";
import { describeError } from "@/lib/errors";
import { formatDateAndTime } from "@/lib/format";
import { useGatewayUrl } from "@/lib/gateway-context";
import { grants } from "@/lib/roles";
import { AuditChainStatusQuery } from "./operations";
import { useAuditTrail, type AuditEntry } from "./use-audit-trail";
import styles from "./audit.module.css";

const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
const SERVICE_NAMES: Record<string, string> = {
  identity: "Identity",
  inventory: "Inventory",
  production: "Production",
  quality: "Quality",
  traceability: "Traceability",
};
const serviceName = (subgraph: string) => SERVICE_NAMES[subgraph] ?? subgraph;

/** The validator (AUDITOR, ADMIN): the audit trail of every service, each chain's state, and its export. */
export function AuditScreen() {
  const { me, loading } = useMe();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["AUDITOR"])) {
    return (
      <div className={styles.statePanel}>
        <h1>Audit trail</h1>
        <p>The audit trail is for auditors. Ask an administrator for the AUDITOR role.</p>
        <Link href="/lots" className="button">
          Go to lots
        </Link>
      </div>
    );
  }
  return <Validator />;
}

function Validator() {
  const [filter, setFilter] = useState<AuditTrailFilter>({});
  return (
    <>
      <div className={styles.toolbar}>
        <div>
          <h1 className={styles.title}>Audit trail</h1>
          <p className={styles.lede}>
            Every change in every service, newest first: who, when, why, and the values before and after.
          </p>
        </div>
        <ExportButton filter={filter} />
      </div>
      <ChainStatus />
      <AuditFilters onApply={setFilter} />
      <AuditResults filter={filter} />
    </>
  );
}

/** Each service's hash chain, walked on the server when the page opens or on request. */
function ChainStatus() {
  const [{ data, fetching, error }, verify] = useQuery({ query: AuditChainStatusQuery, requestPolicy: "network-only" });
  const chains = data?.auditChainStatus ?? [];
  const broken = chains.filter((chain) => !chain.verified);
  const checkedAt = chains[0] ? formatDateAndTime(chains[0].checkedAt).time : null;
  return (
    <section className={styles.chains} aria-labelledby="chains-title">
      <div className={styles.chainsHeader}>
        <h2 id="chains-title">Integrity</h2>
        <p role="status" aria-live="polite" className={broken.length ? styles.brokenText : styles.muted}>
          {fetching && !data
            ? "Verifying every chain…"
            : error
              ? describeError(error)
              : broken.length
                ? `${broken.length} of ${chains.length} chains are broken: entries were edited or removed.`
                : `All ${chains.length} chains verified: no entry was edited or removed.`}
          {checkedAt && <span className={styles.checkedAt}> Checked at {checkedAt}.</span>}
        </p>
        <button
          type="button"
          className="button"
          onClick={() => verify({ requestPolicy: "network-only" })}
          disabled={fetching}
        >
          {fetching ? "Verifying…" : "Verify again"}
        </button>
      </div>
      <ul className={styles.chainList}>
        {chains.map((chain) => (
          <li key={chain.subgraph} className={chain.verified ? styles.chainOk : styles.chainBroken}>
            <span className={styles.chainName}>{serviceName(chain.subgraph)}</span>
            <strong>{chain.verified ? "✓ Verified" : `✗ Broken at entry ${chain.firstBrokenSeq ?? "?"}`}</strong>
            <span className={styles.muted}>
              {chain.length.toLocaleString()} {chain.length === 1 ? "entry" : "entries"}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `datetime-local` input value (local time) → ISO instant, or undefined when empty. */
function toInstant(value: FormDataEntryValue | null): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function text(value: FormDataEntryValue | null): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function AuditFilters({ onApply }: { onApply(filter: AuditTrailFilter): void }) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const filter: AuditTrailFilter = {
      subgraph: text(form.get("subgraph")),
      entityType: text(form.get("entityType")),
      entityId: text(form.get("entityId")),
      actorId: text(form.get("actorId")),
      from: toInstant(form.get("from")),
      to: toInstant(form.get("to")),
    };
    onApply(Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)));
  }
  return (
    <form className={styles.filters} onSubmit={submit} onReset={() => onApply({})} aria-label="Filter the audit trail">
      <label>
        Service
        <select name="subgraph" className="input" defaultValue="">
          <option value="">All services</option>
          {SUBGRAPHS.map((subgraph) => (
            <option key={subgraph} value={subgraph}>
              {serviceName(subgraph)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Entity type
        <input name="entityType" className="input" placeholder="Lot, Hold, User…" autoComplete="off" />
      </label>
      <label>
        Entity id
        <input name="entityId" className="input" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        Actor id
        <input name="actorId" className="input" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        From
        <input name="from" type="datetime-local" className="input" />
      </label>
      <label>
        Before
        <input name="to" type="datetime-local" className="input" />
      </label>
      <div className={styles.filterActions}>
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <button type="reset" className="button">
          Clear
        </button>
      </div>
    </form>
  );
}

/** The CSV of the trail as filtered, from the gateway with the signed-in person's token. */
function ExportButton({ filter }: { filter: AuditTrailFilter }) {
  const gatewayUrl = useGatewayUrl();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function exportCsv() {
    const token = readToken();
    if (!token) return;
    const url = new URL("/exports/audit.csv", gatewayUrl);
    for (const [name, value] of Object.entries(filter))
      if (typeof value === "string") url.searchParams.set(name, value);
    setState({ busy: true, error: null });
    try {
      await downloadWithToken(url, token, "audit-trail.csv");
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return (
    <div className={styles.export}>
      <button type="button" className="button" onClick={exportCsv} disabled={state.busy}>
        {state.busy ? "Preparing CSV…" : "Export CSV"}
      </button>
      {state.error && (
        <p role="alert" className={styles.inlineError}>
          {state.error}
        </p>
      )}
    </div>
  );
}

function AuditResults({ filter }: { filter: AuditTrailFilter }) {
  const trail = useAuditTrail(filter);
  const filtered = Object.keys(filter).length > 0;
  if (trail.error && trail.entries.length === 0)
    return (
      <div className={styles.statePanel} role="alert">
        <h2>The audit trail could not be read</h2>
        <p>{describeError(trail.error)}</p>
        <button type="button" className="button" onClick={() => void trail.reload()}>
          Try again
        </button>
      </div>
    );
  if (trail.loading)
    return (
      <div className={styles.statePanel} role="status" aria-busy="true">
        Reading the audit trail…
      </div>
    );
  if (trail.entries.length === 0)
    return (
      <div className={styles.statePanel}>
        <h2>{filtered ? "No entry matches these filters" : "No entries yet"}</h2>
        <p>{filtered ? "Widen the time range or clear a filter." : "Every change made in Lotgraph appears here."}</p>
      </div>
    );
  return (
    <>
      <p className={styles.summary} aria-live="polite">
        Showing <strong>{trail.entries.length}</strong> of <strong>{trail.totalCount.toLocaleString()}</strong>{" "}
        {trail.totalCount === 1 ? "entry" : "entries"}
      </p>
      <AuditTable entries={trail.entries} />
      <AuditMore trail={trail} />
    </>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">Audit trail entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Service</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Entity</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <AuditRow key={`${entry.subgraph}:${entry.seq}`} entry={entry} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The next page of the trail, the error reading it, or the end. */
function AuditMore({ trail }: { trail: ReturnType<typeof useAuditTrail> }) {
  return (
    <div className={styles.more}>
      {trail.error && (
        <p className={styles.inlineError} role="alert">
          {describeError(trail.error)}
        </p>
      )}
      {trail.hasNextPage ? (
        <button
          type="button"
          className="button button-primary"
          onClick={() => void trail.loadMore()}
          disabled={trail.loadingMore}
        >
          {trail.loadingMore ? "Loading…" : "Load more"}
        </button>
      ) : (
        <p className={styles.muted}>End of the trail</p>
      )}
    </div>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const changed = entry.before != null || entry.after != null;
  const when = formatDateAndTime(entry.at);
  return (
    <tr data-testid="audit-row">
      <td data-label="When" className={styles.when}>
        <time dateTime={entry.at}>
          {when.date}
          <br />
          {when.time}
        </time>
        <span className={styles.seq}>entry {entry.seq}</span>
      </td>
      <td data-label="Service">{serviceName(entry.subgraph)}</td>
      <td data-label="Who">{entry.actor.name}</td>
      <td data-label="What" className={styles.what}>
        <strong>{entry.summary}</strong>
        {entry.reason && <span className={styles.reason}>Reason: {entry.reason}</span>}
        {changed && (
          <details className={styles.details}>
            <summary>Before and after</summary>
            <pre>{JSON.stringify({ before: entry.before ?? null, after: entry.after ?? null }, null, 2)}</pre>
          </details>
        )}
      </td>
      <td data-label="Entity" className={styles.entity}>
        {entry.entityType}
        <code>{entry.entityId}</code>
      </td>
    </tr>
  );
}
