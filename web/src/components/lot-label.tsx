"use client";

import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { formatDateAndTime, formatDecimal } from "@/lib/format";
import styles from "./lot-label.module.css";

/** What a lot label carries, besides its barcode. */
export interface LabelLot {
  code: string;
  materialName: string;
  sku?: string;
  quantity: string;
  uom: string;
  /** When the lot was made or received (ISO). */
  date: string;
}

export type Symbology = "gs1-128" | "datamatrix";

const SYMBOLOGY_NAMES: Record<Symbology, string> = { "gs1-128": "GS1-128", datamatrix: "DataMatrix" };

/**
 * The barcode as SVG markup: GS1-128 carries the lot code under application identifier (10),
 * batch/lot, so any GS1 scanner files it as a lot; DataMatrix carries the bare code in less room.
 * bwip-js is loaded only when a label is shown: it is large and most screens never need it.
 */
function useBarcode(code: string, symbology: Symbology) {
  const [state, setState] = useState<{ svg: string | null; error: string | null }>({ svg: null, error: null });
  useEffect(() => {
    let cancelled = false;
    void import("bwip-js/browser").then(({ toSVG }) => {
      if (cancelled) return;
      try {
        const svg =
          symbology === "gs1-128"
            ? toSVG({
                bcid: "gs1-128",
                text: `(10)${code}`,
                scale: 2,
                height: 11,
                includetext: true,
                textxalign: "center",
              })
            : toSVG({ bcid: "datamatrix", text: code, scale: 3 });
        setState({ svg, error: null });
      } catch (error) {
        // bwip-js reports why a code does not fit the symbology, e.g. AI (10) allows 20 characters.
        const reason = String(error instanceof Error ? error.message : error).replace(/^.*?#\d+:\s*/, "");
        setState({ svg: null, error: `Lot ${code} cannot be encoded as ${SYMBOLOGY_NAMES[symbology]}: ${reason}.` });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [code, symbology]);
  return state;
}

/** A 100 × 50 mm lot label: barcode, lot code, material, quantity and date. */
export function LotLabel({ lot, symbology }: { lot: LabelLot; symbology: Symbology }) {
  const barcode = useBarcode(lot.code, symbology);
  return (
    <div className={symbology === "datamatrix" ? styles.labelSquare : styles.label} data-testid="lot-label">
      <div className={styles.text}>
        <span className={styles.caption}>Lot</span>
        <strong className={styles.code}>{lot.code}</strong>
        <span className={styles.material}>
          {lot.materialName}
          {lot.sku && <span className={styles.sku}> {lot.sku}</span>}
        </span>
        <span className={styles.facts}>
          <strong>
            {formatDecimal(lot.quantity)} {lot.uom}
          </strong>{" "}
          · {formatDateAndTime(lot.date).date}
        </span>
      </div>
      {barcode.svg ? (
        <div
          className={styles.barcode}
          role="img"
          aria-label={`${SYMBOLOGY_NAMES[symbology]} barcode of lot ${lot.code}`}
          data-testid="label-barcode"
          dangerouslySetInnerHTML={{ __html: barcode.svg }}
        />
      ) : (
        <p className={styles.barcodeState} role={barcode.error ? "alert" : "status"}>
          {barcode.error ?? "Drawing the barcode…"}
        </p>
      )}
    </div>
  );
}

/**
 * The label in a modal, with a choice of barcode and a Print button. It is rendered straight under
 * <body> so the print stylesheet can hide everything else and print the label alone, on its own
 * 100 × 50 mm page.
 */
export function LotLabelDialog({ lot, onClose }: { lot: LabelLot; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [symbology, setSymbology] = useState<Symbology>("gs1-128");
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return createPortal(
    <div className={styles.printRoot}>
      <dialog
        ref={dialog}
        className={styles.dialog}
        aria-labelledby="label-title"
        onCancel={(event) => {
          event.preventDefault();
          onClose();
        }}
      >
        <div className={styles.screenOnly}>
          <h2 id="label-title">Label for lot {lot.code}</h2>
          <fieldset className={styles.choice}>
            <legend>Barcode</legend>
            {(Object.keys(SYMBOLOGY_NAMES) as Symbology[]).map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name="symbology"
                  value={value}
                  checked={symbology === value}
                  onChange={() => setSymbology(value)}
                />
                {value === "gs1-128" ? "GS1-128 (AI 10, batch/lot)" : "DataMatrix"}
              </label>
            ))}
          </fieldset>
        </div>
        <div className={styles.preview}>
          <LotLabel lot={lot} symbology={symbology} />
        </div>
        <div className={`${styles.screenOnly} ${styles.actions}`}>
          <button type="button" className="button button-primary" onClick={() => window.print()}>
            Print
          </button>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </dialog>
    </div>,
    document.body,
  );
}
