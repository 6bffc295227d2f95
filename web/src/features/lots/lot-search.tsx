"use client";

import { useEffect, useState, type FormEvent } from "react";
import styles from "./lots.module.css";

const DEBOUNCE_MS = 300;

/**
 * Search by lot-code prefix. Typing applies after a short pause; Enter (what a barcode scanner
 * sends after the code) applies at once.
 */
export function LotSearch({ value, onSearch }: { value: string; onSearch(prefix: string): void }) {
  const [text, setText] = useState(value);

  // Follow outside changes such as "Clear search" in the empty state.
  useEffect(() => setText((t) => (t.trim() === value ? t : value)), [value]);

  useEffect(() => {
    const prefix = text.trim();
    if (prefix === value) return;
    const timer = setTimeout(() => onSearch(prefix), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text.trim());
  }

  return (
    <form role="search" className={styles.search} onSubmit={onSubmit}>
      <label htmlFor="lot-search" className="visually-hidden">
        Lot code starts with
      </label>
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" className={styles.searchIcon}>
        <circle cx="10" cy="10" r="7" fill="none" stroke="currentColor" strokeWidth="2.5" />
        <path d="m15.5 15.5 6 6" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <input
        id="lot-search"
        className={`input ${styles.searchInput}`}
        type="search"
        placeholder="Scan or type a lot code"
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {text && (
        <button
          type="button"
          className="button"
          onClick={() => {
            setText("");
            onSearch("");
          }}
        >
          Clear
        </button>
      )}
    </form>
  );
}
