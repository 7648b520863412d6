"use client";

import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { PRESETS, PRESET_LABELS, type Preset } from "@/lib/engine/date-range";

export const CUSTOM_PERIOD = "custom";
/** The Period choice without dates (offered with `allTime`): every day, e.g. the whole audit trail. */
export const ALL_TIME_PERIOD = "all_time";
export type Period = Preset | typeof CUSTOM_PERIOD | typeof ALL_TIME_PERIOD;

/**
 * The Period list of every dated page (Costs, Completeness, Feedback, Savings, Calls): the presets
 * of lib/engine/date-range.ts and "Custom range", a Radix select operable by keyboard. With `name`
 * it also submits in a plain GET form (Calls); "custom" then reads as no preset. `allTime` adds
 * "All time" first (Audit).
 */
export function PeriodSelect({
  value,
  onValueChange,
  name,
  error,
  allTime = false,
}: {
  value: Period;
  onValueChange: (value: Period) => void;
  name?: string;
  error?: string[];
  allTime?: boolean;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor="filter-period">Period</Label>
      <Select value={value} onValueChange={(v) => onValueChange(v as Period)} name={name}>
        <SelectTrigger id="filter-period" className="w-40" aria-invalid={error?.length ? true : undefined} aria-describedby={error?.length ? "preset-error" : undefined}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {allTime && <SelectItem value={ALL_TIME_PERIOD}>All time</SelectItem>}
          {[...PRESETS, CUSTOM_PERIOD as typeof CUSTOM_PERIOD].map((p) => (
            <SelectItem key={p} value={p}>
              {PRESET_LABELS[p]}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {error?.length ? (
        <p id="preset-error" className="text-xs text-destructive">
          {error.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
