"use client";

import { useRef, type KeyboardEvent } from "react";
import styles from "./quality.module.css";

export interface Tab<Id extends string> {
  id: Id;
  label: string;
  /** A count beside the label (open holds, open nonconformances); hidden when undefined. */
  count?: number;
}

/** The WAI-ARIA tabs pattern: arrow keys move between tabs, each panel labelled by its tab. */
export function Tabs<Id extends string>({
  tabs,
  selected,
  onSelect,
  label,
}: {
  tabs: ReadonlyArray<Tab<Id>>;
  selected: Id;
  onSelect(id: Id): void;
  label: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: tabs.length - 1 - index }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    onSelect(next.id);
    list.current?.querySelector<HTMLButtonElement>(`#${tabId(next.id)}`)?.focus();
  }
  return (
    <div ref={list} role="tablist" aria-label={label} className={styles.tabs} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          id={tabId(tab.id)}
          type="button"
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={panelId(tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          className={styles.tab}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {tab.count !== undefined && (
            <span className={tab.count > 0 ? styles.tabCountAlert : styles.tabCount}>{tab.count}</span>
          )}
        </button>
      ))}
    </div>
  );
}

export const tabId = (id: string) => `quality-tab-${id}`;
export const panelId = (id: string) => `quality-panel-${id}`;
