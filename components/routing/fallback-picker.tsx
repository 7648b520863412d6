"use client";

import { ArrowDown, ArrowUp, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { RoutingModel } from "@/lib/db/routing";
import { MAX_FALLBACKS } from "@/lib/schemas/llm-configuration";
import { modelLabel } from "./model-label";

/** An ordered multi-select: fallbacks are tried in this order after the primary fails. */
export function FallbackPicker({ id, models, value, exclude, onChange, invalid }: {
  id: string;
  models: RoutingModel[];
  value: string[];
  exclude: string;
  onChange: (ids: string[]) => void;
  invalid?: boolean;
}) {
  const byId = new Map(models.map((m) => [m.id, m]));
  const available = models.filter((m) => m.enabled && m.id !== exclude && !value.includes(m.id));
  const move = (from: number, to: number) => {
    const next = [...value];
    const [item] = next.splice(from, 1);
    if (item === undefined) return;
    next.splice(to, 0, item);
    onChange(next);
  };
  return (
    <div className="grid gap-2">
      {value.length > 0 && (
        <ol className="grid gap-1" aria-label="Fallback order">
          {value.map((modelId, i) => {
            const model = byId.get(modelId);
            const name = model ? modelLabel(model) : modelId;
            return (
              <li key={modelId} className="flex items-center gap-2 rounded-md border px-2 py-1 text-sm">
                <span className="w-5 text-xs text-muted-foreground tabular-nums">{i + 1}.</span>
                <span className="min-w-0 flex-1 truncate">{name}</span>
                <Button type="button" variant="ghost" size="icon" className="size-7" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={`Move ${name} up`}>
                  <ArrowUp />
                </Button>
                <Button type="button" variant="ghost" size="icon" className="size-7" disabled={i === value.length - 1} onClick={() => move(i, i + 1)} aria-label={`Move ${name} down`}>
                  <ArrowDown />
                </Button>
                <Button type="button" variant="ghost" size="icon" className="size-7" onClick={() => onChange(value.filter((v) => v !== modelId))} aria-label={`Remove ${name}`}>
                  <X />
                </Button>
              </li>
            );
          })}
        </ol>
      )}
      {value.length < MAX_FALLBACKS && available.length > 0 && (
        <Select value="" onValueChange={(v) => onChange([...value, v])}>
          <SelectTrigger id={id} className="w-full" aria-invalid={invalid}>
            <SelectValue placeholder="Add a fallback model…" />
          </SelectTrigger>
          <SelectContent>
            {available.map((m) => (
              <SelectItem key={m.id} value={m.id}>
                {modelLabel(m)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      )}
    </div>
  );
}
