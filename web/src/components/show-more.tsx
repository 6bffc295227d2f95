"use client";

import { useState } from "react";
import styles from "./list-footer.module.css";

/**
 * A long list already in the browser (a trace's lots, a recall's), shown a page at a time so the
 * page stays quick to draw: how many of how many, and a button for the next page.
 */
export function useShownRows<T>(rows: readonly T[], page: number) {
  const [shown, setShown] = useState(page);
  return {
    visible: rows.slice(0, shown),
    footer: (
      <div className={styles.listFooter}>
        <span className={styles.muted}>
          Showing {Math.min(shown, rows.length)} of {rows.length}
        </span>
        {shown < rows.length && (
          <button type="button" className="button" onClick={() => setShown((n) => n + page)}>
            Show {Math.min(page, rows.length - shown)} more
          </button>
        )}
      </div>
    ),
  };
}
