"use client";

import { PanelRightOpen } from "lucide-react";
import { formatCount, formatMonth } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import type { StatementLine } from "@/lib/engine/statement";
import { clientPriceText, pricingText, rateText, tokensByKind } from "./line-detail";

/**
 * One statement line's fields that do not fit a 1280 px row (app, action, tokens by kind, the
 * pricing rule, the client price before conversion, its rate, exact amounts), in a Radix Dialog
 * sheet as Calls does (components/calls/call-details-sheet.tsx): focus moves in, Escape closes and
 * focus returns to the row's button. The print view shows the same fields on every line.
 */

export function lineName(l: StatementLine): string {
  return `${l.providerCode ?? "—"} / ${l.modelCode ?? "(none)"}, ${l.actionType ?? "(no action)"}`;
}

export function StatementLineDetails({ line: l, billingCurrency, markupPct }: { line: StatementLine; billingCurrency: string; markupPct: string | null }) {
  const fields: [string, string][] = [
    ...(l.correctsMonth ? ([["Corrects", `${formatMonth(l.correctsMonth.slice(0, 7))} (closed statement)`]] as [string, string][]) : []),
    ["App", l.appName ?? "(no app)"],
    ["Provider", l.providerCode ?? "—"],
    ["Model", l.modelCode ?? "(none)"],
    ["Action", l.actionType ?? "(none)"],
    ["Calls", formatCount(l.calls)],
    ["Calls without cost (not billed)", formatCount(l.callsWithoutCost)],
    ...tokensByKind(l),
    ["Provider cost (exact)", `${l.providerCost} ${l.currency ?? ""}`.trim()],
    ["Pricing", pricingText(l, markupPct)],
    ["Client price (exact, before conversion)", clientPriceText(l)],
    ["Rate", rateText(l, billingCurrency)],
    ["Amount (exact)", l.amount === null ? (l.sourceAmount === null ? "not billed: no cost" : "not converted") : `${l.amount} ${billingCurrency}`],
  ];
  const name = lineName(l);
  return (
    <Sheet>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Details of ${name}`} title="Details">
          <PanelRightOpen aria-hidden />
        </Button>
      </SheetTrigger>
      <SheetContent className="overflow-y-auto">
        <SheetHeader>
          <SheetTitle className="break-words">{name}</SheetTitle>
          <SheetDescription>{l.kind === "adjustment" ? "Adjustment line" : "Statement line"}, amounts exact as in the CSV.</SheetDescription>
        </SheetHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 px-4 pb-4 text-sm" data-testid="statement-line-details">
          {fields.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </SheetContent>
    </Sheet>
  );
}
