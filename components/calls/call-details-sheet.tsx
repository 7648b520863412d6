"use client";

import Link from "next/link";
import { PanelRightOpen } from "lucide-react";
import { formatCount, formatMoney, formatTimestamp } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import type { CallRow } from "@/lib/db/calls";
import { CallStatusBadge } from "./status-badge";

/**
 * One attempt's fields that do not fit a 1280 px row (organization, app, action, user, provider,
 * stage, type, tokens by kind, exact cost and its source), in a Radix Dialog sheet: focus moves
 * in, Escape closes and focus returns to the row's button.
 */

const text = (v: string | null) => v ?? "—";

export function CallDetailsSheet({ row }: { row: CallRow }) {
  const fields: [string, React.ReactNode][] = [
    ["Time (UTC)", formatTimestamp(row.createdAt)],
    ["Organization", text(row.organizationName)],
    ["App", text(row.appCode)],
    ["Action", text(row.actionType)],
    ["User", text(row.userRef)],
    ["Provider", text(row.providerCode)],
    ["Model", text(row.modelCode)],
    ["Pipeline stage", text(row.pipelineStage)],
    ["Request type", text(row.requestType)],
    ["Status", <CallStatusBadge key="s" status={row.status} isFallback={row.isFallback} />],
    ["Error", text(row.errorType)],
    ["Prompt tokens", formatCount(row.promptTokens)],
    ["Cached tokens", formatCount(row.cachedTokens)],
    ["Completion tokens", formatCount(row.completionTokens)],
    ["Total tokens", formatCount(row.totalTokens)],
    ["Cost (exact)", row.cost === null ? "No cost" : `${row.cost} ${row.currency ?? ""}`],
    ["Priced from", row.pricingSource === "fallback" ? "built-in fallback table" : row.pricingSource === "database" ? "price table" : "—"],
    ["Latency", row.latencyMs === null ? "—" : `${formatCount(row.latencyMs)} ms`],
  ];
  return (
    <Sheet>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Details of ${row.requestId.slice(0, 8)} attempt ${row.attempt}`} title="Details">
          <PanelRightOpen aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent className="overflow-y-auto">
        <SheetHeader>
          <SheetTitle>
            Call {row.requestId.slice(0, 8)} · attempt {row.attempt}
          </SheetTitle>
          <SheetDescription className="font-mono text-xs break-all">{row.requestId}</SheetDescription>
        </SheetHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 px-4 text-sm">
          {fields.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="px-4 text-xs text-muted-foreground">
          Shown in the call&apos;s own currency: {formatMoney(row.cost, row.currency, { precision: "call" })}
        </p>
        <div className="px-4 pb-4">
          <Button asChild size="sm">
            <Link href={`/calls/${row.requestId}`}>Open request (trace, prices, feedback)</Link>
          </Button>
        </div>
      </SheetContent>
    </Sheet>
  );
}
