"use client";

import { useState } from "react";
import { CUSTOM_PERIOD, PeriodSelect, type Period } from "@/components/dashboard/period-select";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { Preset } from "@/lib/engine/date-range";

/**
 * The Calls filter's period: the shared Period list (presets) and, for a custom range, two
 * labelled `yyyy-mm-dd` text fields, as named fields of the page's GET form. A preset submits
 * `preset=…` and no days (resolved on the server in the reporting time zone); a custom range
 * submits `from`/`to`. The zone the days are in travels as `tz` when the URL named one.
 */
export function CallsPeriodFields({ preset, from, to, tz }: { preset: Preset | null; from: string; to: string; tz: string | null }) {
  const [period, setPeriod] = useState<Period>(preset ?? CUSTOM_PERIOD);
  return (
    <div className="flex min-w-0 flex-wrap items-start gap-3 sm:col-span-2">
      <PeriodSelect value={period} onValueChange={setPeriod} name={period === CUSTOM_PERIOD ? undefined : "preset"} />
      {period === CUSTOM_PERIOD && (
        <>
          {(
            [
              ["from", "From", from],
              ["to", "To", to],
            ] as const
          ).map(([field, label, value]) => (
            <div key={field} className="grid gap-1.5">
              <Label htmlFor={`f-${field}`}>{label}</Label>
              <Input
                id={`f-${field}`}
                name={field}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                placeholder="yyyy-mm-dd"
                pattern="\d{4}-\d{2}-\d{2}"
                defaultValue={value}
                className="w-36"
                aria-describedby="f-day-format"
              />
            </div>
          ))}
          <p id="f-day-format" className="basis-full text-xs text-muted-foreground">
            Days as yyyy-mm-dd, both included.
          </p>
        </>
      )}
      {tz && <input type="hidden" name="tz" value={tz} />}
    </div>
  );
}
