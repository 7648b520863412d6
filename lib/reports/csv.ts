/**
 * One CSV cell, the way every download of the dashboard writes it (Costs, Savings). Two jobs:
 *  - RFC 4180 quoting: a cell with a quote, comma, CR or LF is quoted and its quotes doubled.
 *  - Formula guard (CSV injection): a spreadsheet runs a cell that starts with =, +, -, @, a tab
 *    or a carriage return as a formula, so such text is prefixed with `'`. A value that IS a
 *    number (a JS number, or a plain decimal string such as "-1.25" for negative savings) is left
 *    alone, so it stays a number in the spreadsheet.
 */

/** A plain decimal as this app writes amounts: optional minus, digits, optional fraction. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  const numeric = typeof value === "number" ? Number.isFinite(value) : PLAIN_NUMBER.test(text);
  if (!numeric && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line ending) of cells. */
export function csvLine(values: readonly (string | number)[]): string {
  return values.map(csvCell).join(",");
}
