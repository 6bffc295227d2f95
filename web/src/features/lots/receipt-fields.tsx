import { FormField } from "@/components/form-field";
import formStyles from "@/components/form.module.css";
import type { Receipt } from "./use-receive-lot";
import styles from "./lots.module.css";

/** The receipt's fields: what, how much, where, its code, and the supplier's lot and expiry. */
export function ReceiptFields({ receipt }: { receipt: Receipt }) {
  const { form, set, fieldError, options } = receipt;
  return (
    <div className={formStyles.grid}>
      <MaterialAndQuantity receipt={receipt} />
      <FormField label="Put it at" error={fieldError("locationId")}>
        <select className="input" value={form.locationId} onChange={set("locationId")}>
          <option value="">Choose a location</option>
          {options?.locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name} ({l.code})
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Lot code" error={fieldError("code")} hint="The code on the label you put on it.">
        <input className="input" value={form.code} onChange={set("code")} autoComplete="off" spellCheck={false} />
      </FormField>
      <FormField label="Supplier (optional)" error={fieldError("supplierId")}>
        <select className="input" value={form.supplierId} onChange={set("supplierId")}>
          <option value="">No supplier</option>
          {options?.parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.code})
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="Supplier lot code (optional)" error={fieldError("supplierLotCode")}>
        <input
          className="input"
          value={form.supplierLotCode}
          onChange={set("supplierLotCode")}
          autoComplete="off"
          spellCheck={false}
        />
      </FormField>
      <FormField label="Expires on (optional)" error={fieldError("expiresAt")}>
        <input className="input" type="date" value={form.expiresOn} onChange={set("expiresOn")} />
      </FormField>
    </div>
  );
}

/** The material, then its quantity, or one serial number a line when it is tracked by serial. */
function MaterialAndQuantity({ receipt }: { receipt: Receipt }) {
  const { form, set, fieldError, materials, materialsLoading, material, serial, serials } = receipt;
  return (
    <>
      <FormField
        label="Material"
        error={fieldError("materialId")}
        hint={materialsLoading ? "Loading materials…" : undefined}
      >
        <select className="input" value={form.materialId} onChange={set("materialId")}>
          <option value="">Choose a material</option>
          {materials.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.sku})
            </option>
          ))}
        </select>
      </FormField>
      {serial ? (
        <FormField
          label={`Serial numbers (${serials.length})`}
          error={fieldError("serialNumbers") ?? fieldError("quantity")}
          hint="One per line; a scanner ends each with Enter."
        >
          <textarea className={`input ${styles.serials}`} value={form.serialNumbers} onChange={set("serialNumbers")} />
        </FormField>
      ) : (
        <FormField label={`Quantity${material ? ` (${material.uom})` : ""}`} error={fieldError("quantity")}>
          <input className="input" inputMode="decimal" value={form.quantity} onChange={set("quantity")} />
        </FormField>
      )}
    </>
  );
}
