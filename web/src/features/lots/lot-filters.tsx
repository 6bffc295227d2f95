"use client";

import type { FormEvent } from "react";
import { useQuery } from "urql";
import type { LotFilterOptionsQuery as LotFilterOptionsData, LotStatus } from "@/gql/graphql";
import { LotFilterOptionsQuery } from "./operations";
import styles from "./lots.module.css";

/** What the list can be narrowed by, besides the code prefix (LotFilter in the API). */
export interface LotFilterValues {
  materialId?: string;
  status?: LotStatus[];
  locationId?: string;
  supplierLotCode?: string;
  expiringBefore?: string;
  createdFrom?: string;
  createdBefore?: string;
}

const STATUSES = [
  ["AVAILABLE", "Available"],
  ["QUARANTINE", "Quarantine"],
  ["ON_HOLD", "On hold"],
  ["CONSUMED", "Consumed"],
  ["SHIPPED", "Shipped"],
  ["SCRAPPED", "Scrapped"],
] as const;

export const hasFilters = (values: LotFilterValues) => Object.keys(values).length > 0;

/** The start of a calendar day picked in the browser, in the plant's local time, `days` later. */
function startOfDay(date: string, days = 0): string {
  const day = new Date(`${date}T00:00:00`);
  day.setDate(day.getDate() + days);
  return day.toISOString();
}

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The filters a submitted form asks for, leaving out those left empty. */
function filterValues(form: FormData): LotFilterValues {
  const known = new Set<string>(STATUSES.map(([value]) => value));
  const status = form.getAll("status").filter((s): s is LotStatus => typeof s === "string" && known.has(s));
  const expiring = text(form, "expiringBefore");
  const receivedFrom = text(form, "createdFrom");
  const receivedTo = text(form, "createdTo");
  const values: LotFilterValues = {
    materialId: text(form, "materialId"),
    status: status.length ? status : undefined,
    locationId: text(form, "locationId"),
    supplierLotCode: text(form, "supplierLotCode"),
    expiringBefore: expiring ? new Date(`${expiring}T23:59:59`).toISOString() : undefined,
    // "to" is the whole of that day: the window ends when the next day starts.
    createdFrom: receivedFrom ? startOfDay(receivedFrom) : undefined,
    createdBefore: receivedTo ? startOfDay(receivedTo, 1) : undefined,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** A panel of filters, applied together; "Clear" returns to every lot. */
export function LotFilters({ onApply }: { onApply(values: LotFilterValues): void }) {
  const [{ data }] = useQuery({ query: LotFilterOptionsQuery });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(filterValues(new FormData(event.currentTarget)));
  }
  return (
    <details className={styles.filters}>
      <summary>Filters</summary>
      <form onSubmit={submit} onReset={() => onApply({})} aria-label="Filter lots">
        <FilterFields options={data} />
        <fieldset className={styles.statusChoices}>
          <legend>Status</legend>
          {STATUSES.map(([value, label]) => (
            <label key={value} className={styles.statusChoice}>
              <input type="checkbox" name="status" value={value} /> {label}
            </label>
          ))}
        </fieldset>
        <div className={styles.filterActions}>
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="reset" className="button">
            Clear
          </button>
        </div>
      </form>
    </details>
  );
}

/** The material, location, supplier lot and date filters, with the choices the plant has. */
function FilterFields({ options }: { options: LotFilterOptionsData | undefined }) {
  return (
    <div className={styles.filterGrid}>
      <label>
        Material
        <select name="materialId" className="input" defaultValue="">
          <option value="">Any material</option>
          {options?.materials.edges.map(({ node }) => (
            <option key={node.id} value={node.id}>
              {node.name} ({node.sku})
            </option>
          ))}
        </select>
      </label>
      <label>
        Location
        <select name="locationId" className="input" defaultValue="">
          <option value="">Anywhere</option>
          {options?.locations.map((location) => (
            <option key={location.id} value={location.id}>
              {location.name} ({location.code})
            </option>
          ))}
        </select>
      </label>
      <label>
        Supplier lot code
        <input name="supplierLotCode" className="input" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        Expiring by
        <input name="expiringBefore" type="date" className="input" />
      </label>
      <label>
        Received or made from
        <input name="createdFrom" type="date" className="input" />
      </label>
      <label>
        Received or made to
        <input name="createdTo" type="date" className="input" />
      </label>
    </div>
  );
}
