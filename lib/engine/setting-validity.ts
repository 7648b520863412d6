import type { SettingValueType } from "./types";

/**
 * Whether a stored setting's value fits its type and bounds (issue 12 item 6). Since migration
 * 20261208020000 every app_configuration row carries its key's definition (one type and one pair
 * of bounds per key), but a value saved before the definitions existed may not fit it: such a row
 * is not silently changed. The gateway reads the built-in default instead (lib/engine/settings.ts)
 * and logs it once, and the Settings page lists it as "needs attention". Pure: the one rule both use.
 */

export interface StoredSetting {
  valueType: SettingValueType;
  value: unknown;
  /** Numeric bounds as PostgreSQL prints them (exact decimals); null = unbounded. */
  minValue?: string | null;
  maxValue?: string | null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value === "string" ? "text" : typeof value} ${JSON.stringify(value)}`;
}

/** The value is a JSON number (a double) already; the bound is compared as one too. */
function compare(value: number, bound: string): number {
  const b = Number(bound);
  return value < b ? -1 : value > b ? 1 : 0;
}

/** Why the value does not fit, in words for the page and the log; null when it fits. */
export function settingProblem(s: StoredSetting): string | null {
  const { valueType, value } = s;
  switch (valueType) {
    case "bool":
      return typeof value === "boolean" ? null : `holds ${describe(value)}, not true or false`;
    case "string":
      return typeof value === "string" ? null : `holds ${describe(value)}, not text`;
    case "json":
      return value === undefined ? "holds no value" : null;
    case "int":
    case "float": {
      if (typeof value !== "number" || !Number.isFinite(value)) return `holds ${describe(value)}, not a number`;
      if (valueType === "int" && !Number.isInteger(value)) return `holds ${value}, not a whole number`;
      const low = s.minValue ?? null;
      const high = s.maxValue ?? null;
      if ((low !== null && compare(value, low) < 0) || (high !== null && compare(value, high) > 0)) {
        return `holds ${value}, outside its bounds ${low ?? "−∞"} … ${high ?? "+∞"}`;
      }
      return null;
    }
  }
}
