"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import styles from "./tabs.module.css";

export interface Tab<Id extends string> {
  id: Id;
  label: string;
  /** A count beside the label (open holds, customers not yet told); hidden when undefined. */
  count?: number;
  /** Whether a non-zero count is something waiting for someone (amber) or just a size (grey). */
  countAlerts?: boolean;
}

/**
 * The WAI-ARIA tabs pattern: arrow keys move between tabs, each panel labelled by its tab. The
 * ids are `<idPrefix>-tab-<id>` and `<idPrefix>-panel-<id>` ({@link tabIds}), so two screens'
 * tabs never share one.
 */
export function Tabs<Id extends string>({
  tabs,
  selected,
  onSelect,
  label,
  idPrefix,
}: {
  tabs: ReadonlyArray<Tab<Id>>;
  selected: Id;
  onSelect(id: Id): void;
  label: string;
  idPrefix: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const ids = tabIds(idPrefix);
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: tabs.length - 1 - index }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    onSelect(next.id);
    list.current?.querySelector<HTMLButtonElement>(`#${ids.tab(next.id)}`)?.focus();
  }
  return (
    <div ref={list} role="tablist" aria-label={label} className={styles.tabs} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          id={ids.tab(tab.id)}
          type="button"
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={ids.panel(tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          className={styles.tab}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {tab.count !== undefined && (
            <span className={tab.count > 0 && tab.countAlerts !== false ? styles.tabCountAlert : styles.tabCount}>
              {tab.count}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

/** The ids of a screen's tabs and of the panels they label. */
export function tabIds(idPrefix: string) {
  return {
    tab: (id: string) => `${idPrefix}-tab-${id}`,
    panel: (id: string) => `${idPrefix}-panel-${id}`,
  };
}

/** The tab in the address (#holds), so a reload, a shared link or a link to `#holds` opens that one. */
export function useTabInAddress<Id extends string>(ids: readonly Id[], first: Id): [Id, (tab: Id) => void] {
  const [tab, setTab] = useState<Id>(first);
  useEffect(() => {
    const follow = () => {
      const fromHash = window.location.hash.slice(1);
      if ((ids as readonly string[]).includes(fromHash)) setTab(fromHash as Id);
    };
    follow();
    // A link to another tab of the same page changes only the hash: no new page, so follow it.
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [ids]);
  const select = useCallback((next: Id) => {
    setTab(next);
    window.history.replaceState(null, "", `#${next}`);
  }, []);
  return [tab, select];
}
