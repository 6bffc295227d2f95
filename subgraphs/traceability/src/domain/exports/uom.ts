/**
 * Our units of measure (free text on Material, DESIGN.md §5) mapped to UN/ECE Recommendation 20
 * codes, which EPCIS 2.0 requires for `uom` (the schema checks `^[A-Z0-9]{2,3}$`).
 *
 * | ours                 | rec 20 | meaning     |
 * |----------------------|--------|-------------|
 * | kg                   | KGM    | kilogram    |
 * | g                    | GRM    | gram        |
 * | mg                   | MGM    | milligram   |
 * | t                    | TNE    | tonne       |
 * | lb                   | LBR    | pound       |
 * | oz                   | ONZ    | ounce       |
 * | L, l                 | LTR    | litre       |
 * | mL, ml               | MLT    | millilitre  |
 * | m                    | MTR    | metre       |
 * | ea, pc, pcs, unit    | (none) | count       |
 *
 * Counted units get no `uom`: EPCIS defines a quantity without one as a number of instances of
 * the class, which is exactly "each" (H87 "piece" would say the same thing less directly).
 */
const REC20: Readonly<Record<string, string>> = {
  kg: "KGM",
  g: "GRM",
  mg: "MGM",
  t: "TNE",
  lb: "LBR",
  oz: "ONZ",
  l: "LTR",
  ml: "MLT",
  m: "MTR",
};

const COUNTED = new Set(["ea", "each", "pc", "pcs", "piece", "unit", "units"]);

/**
 * How a quantity in `unit` is expressed in EPCIS: `{ uom }` for a measured unit, `{ uom: undefined }`
 * for a counted one, or `null` when the unit is unknown. An unknown unit cannot be stated
 * faithfully (leaving `uom` out would claim a count), so the caller drops the quantity and keeps
 * the lot: which lot moved matters more to a recall than how much.
 */
export function rec20Unit(unit: string): { uom: string | undefined } | null {
  const key = unit.trim().toLowerCase();
  if (COUNTED.has(key)) return { uom: undefined };
  const code = REC20[key];
  return code === undefined ? null : { uom: code };
}
