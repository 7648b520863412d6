import type { SettingValueTypeName } from "@/lib/schemas/app-setting";

/** A stored setting value as text, for display and as the form's starting value. */
export function settingValueText(value: unknown, type: SettingValueTypeName | null): string {
  if (type === "string" && typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value);
}

export function SettingValue({ value, type }: { value: unknown; type: SettingValueTypeName | null }) {
  if (value === undefined || value === null) return <span className="text-muted-foreground">not set</span>;
  const text = type === "string" && typeof value === "string" ? `"${value}"` : JSON.stringify(value);
  return <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all">{text}</code>;
}
