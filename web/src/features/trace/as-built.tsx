"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "urql";
import type { AsBuiltPartFragment } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime, formatDecimal } from "@/lib/format";
import { AsBuiltQuery } from "./operations";
import styles from "./trace.module.css";

type Part = AsBuiltPartFragment & { components?: Part[] };

/** The serial units of a serial-tracked lot, and the as-built tree of the one picked. */
export function SerialAsBuilt({ serials }: { serials: ReadonlyArray<{ id: string; serialNumber: string }> }) {
  const [serialId, setSerialId] = useState(serials[0]?.id ?? "");
  if (serials.length === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="as-built-title">
      <h2 id="as-built-title">As built</h2>
      <div className={styles.serialPicker}>
        <label className={styles.field}>
          Serial unit ({serials.length})
          <select className="input" value={serialId} onChange={(event) => setSerialId(event.target.value)}>
            {serials.map((serial) => (
              <option key={serial.id} value={serial.id}>
                {serial.serialNumber}
              </option>
            ))}
          </select>
        </label>
      </div>
      {serialId && <AsBuiltTree serialId={serialId} />}
    </section>
  );
}

function AsBuiltTree({ serialId }: { serialId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: AsBuiltQuery, variables: { serialId } });
  if (fetching && !data) return <p role="status">Loading the as-built record…</p>;
  if (error) return <p role="alert">{describeError(error)}</p>;
  const root = data?.serialUnit?.asBuilt as Part | null | undefined;
  if (!root) return <p className={styles.summary}>Nothing has been recorded for this unit yet.</p>;
  if (!root.components?.length)
    return <p className={styles.summary}>No component is installed in {data?.serialUnit?.serialNumber}.</p>;
  return (
    <ul className={styles.tree} data-testid="as-built-tree">
      <PartItem part={root} />
    </ul>
  );
}

/**
 * One part: a serial unit ("Serial CU-100 · Control unit · lot L-1"), or a quantity of a lot ("4 kg
 * of M4 screws from lot SC-1"), with when it went in.
 */
function PartItem({ part }: { part: Part }) {
  const lotLink = part.lot && <Link href={`/lots/${encodeURIComponent(part.lot.code)}`}>lot {part.lot.code}</Link>;
  return (
    <li>
      {part.serial ? (
        <>
          <strong>Serial {part.serial.serialNumber}</strong>
          {part.lot && (
            <>
              {" "}
              · {part.lot.material.name} · {lotLink}
            </>
          )}
        </>
      ) : part.lot ? (
        <>
          <strong>
            {part.quantity ? `${formatDecimal(part.quantity)} ${part.lot.uom} of ` : ""}
            {part.lot.material.name}
          </strong>{" "}
          from {lotLink}
        </>
      ) : (
        <strong>Unknown part</strong>
      )}
      {part.installedAt && <span className={styles.summary}> · installed {formatDateTime(part.installedAt)}</span>}
      {part.components && part.components.length > 0 && (
        <ul>
          {part.components.map((child, index) => (
            <PartItem key={child.installationId ?? index} part={child} />
          ))}
        </ul>
      )}
    </li>
  );
}
