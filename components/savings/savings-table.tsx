import Link from "next/link";
import { formatCount } from "@/components/format";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { ScrollableTable } from "@/components/ui/scrollable-table";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ShownSavingsRow } from "@/lib/reports/savings-csv";
import { cn } from "@/lib/utils";

interface SavingsTableProps {
  label: string;
  rows: readonly ShownSavingsRow[];
  /** "organization": organization and period columns; "app": app and baseline model columns. */
  by: "organization" | "app";
  /** What a period is here: "Day" up to 93 days, "Month" beyond. */
  periodLabel?: string;
  /** Row key (organization|period|app|currency) → its calls on the Calls page (drill-down). */
  links?: Readonly<Record<string, string>>;
}

/** The row's name, linked to its calls when there is a link. */
function Named({ name, href }: { name: string; href: string | undefined }) {
  if (!href) return <>{name}</>;
  return (
    <Link href={href} className="underline-offset-4 hover:underline" data-drill="calls">
      {name}
    </Link>
  );
}

function savingsClass(amount: string): string {
  if (amount.startsWith("-")) return "text-destructive";
  return amount === "0.00" ? "" : "text-emerald-700 dark:text-emerald-400";
}

/** Savings rows exactly as exported: same rows, same rounding, one currency per row; a keyboard-scrollable region on a phone. */
export function SavingsTable({ label, rows, by, periodLabel = "Month", links = {} }: SavingsTableProps) {
  return (
    <ScrollableTable label={label} aria-label={label} data-savings-table={by}>
      <TableHeader>
        <TableRow>
          {by === "organization" ? (
            <>
              <TableHead>Organization</TableHead>
              <TableHead>{periodLabel}</TableHead>
            </>
          ) : (
            <>
              <TableHead>App</TableHead>
              <TableHead>Baseline model</TableHead>
            </>
          )}
          <TableHead className="text-right">Calls compared</TableHead>
          <TableHead className="text-right">Without baseline</TableHead>
          <TableHead className="text-right">Actual</TableHead>
          <TableHead className="text-right">Baseline</TableHead>
          <TableHead className="text-right">Savings</TableHead>
          <TableHead className="text-right">%</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={`${r.organization}|${r.period}|${r.app}|${r.currency}`}>
            {by === "organization" ? (
              <>
                <TableCell className="max-w-56 truncate font-medium" title={r.organization}><Named name={r.organization} href={links[`${r.organization}|${r.period}|${r.app}|${r.currency}`]} /></TableCell>
                <TableCell className="whitespace-nowrap">{r.period}</TableCell>
              </>
            ) : (
              <>
                <TableCell className="max-w-56 truncate font-medium" title={r.app}><Named name={r.app} href={links[`${r.organization}|${r.period}|${r.app}|${r.currency}`]} /></TableCell>
                <TableCell className="font-mono text-xs">{r.baselineModel}</TableCell>
              </>
            )}
            <TableCell className="text-right tabular-nums">{formatCount(r.compared)}</TableCell>
            <TableCell className="text-right tabular-nums text-muted-foreground">{formatCount(r.withoutBaseline)}</TableCell>
            <TableCell className="text-right tabular-nums">
              <Money amount={r.actual} currency={r.currency} />
              {r.notConverted && <Badge variant="outline" className="ml-2" title="No rate into the reporting currency: kept apart">{r.currency}</Badge>}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              <Money amount={r.baseline} currency={r.currency} />
            </TableCell>
            <TableCell className={cn("text-right font-medium tabular-nums", savingsClass(r.savings))}>
              <Money amount={r.savings} currency={r.currency} />
            </TableCell>
            <TableCell className="text-right tabular-nums">{r.savingsPct ? `${r.savingsPct}%` : "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </ScrollableTable>
  );
}
