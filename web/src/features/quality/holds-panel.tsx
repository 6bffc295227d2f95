"use client";

import { useState } from "react";
import { OpenHoldList } from "./open-hold-list";
import { PlaceHold } from "./place-hold";
import { SupplierHoldList } from "./supplier-hold-list";
import styles from "./quality.module.css";

/** Place a hold (managers), and the holds that stand, each released with a signature. */
export function HoldsPanel({
  manager,
  revision,
  onChanged,
}: {
  manager: boolean;
  revision: number;
  /** Told of every hold placed or released here, so counts elsewhere on the page follow at once. */
  onChanged(): void;
}) {
  const [notice, setNoticeOnly] = useState<string | null>(null);
  const setNotice = (message: string | null) => {
    setNoticeOnly(message);
    if (message) onChanged();
  };
  // Closed until asked for: the holds that stand are what a manager comes to see first.
  const [placing, setPlacing] = useState(false);
  // A supplier hold on a code with no lot yet holds nothing, so no live event says it was placed.
  const [placed, setPlaced] = useState(0);
  const onPlaced = (message: string) => {
    setNotice(message);
    setPlaced((n) => n + 1);
  };
  return (
    <div className={styles.stack}>
      {manager && (
        <div className={styles.panelActions}>
          <button
            type="button"
            className={placing ? "button" : "button button-primary"}
            aria-expanded={placing}
            aria-controls="place-hold"
            onClick={() => setPlacing((open) => !open)}
          >
            {placing ? "Hide the hold form" : "Place a hold…"}
          </button>
        </div>
      )}
      {notice && (
        <p className={styles.success} role="status">
          {notice}
        </p>
      )}
      {manager && placing && <PlaceHold onPlaced={onPlaced} />}
      <OpenHoldList manager={manager} revision={revision + placed} onNotice={setNotice} />
      <SupplierHoldList manager={manager} revision={revision + placed} onNotice={setNotice} />
    </div>
  );
}
