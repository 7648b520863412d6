import { TableCard } from "@/components/dashboard/table-card";
import { formatDay, formatMonth } from "@/components/format";
import { Money } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ScopedBudgetsData } from "@/lib/db/budget-scopes";
import { POLICY_LABELS } from "@/lib/schemas/budget";
import { WINDOW_NAMES } from "@/lib/schemas/budget-scope";
import { DeleteBudgetButton, ScopedBudgetDialog } from "./scoped-budget-dialog";
import { SpendBar } from "./spend-bar";

const POLICY_SHORT = { alert: "Alert", block: "Block", downgrade: "Downgrade" } as const;

/**
 * Every budget of every scope and window with its spend in the current window (converted into
 * the budget's currency, as the gateway counts it) and, for platform admins, add / edit / remove.
 */
export function ScopedBudgetsTable({ data, canEdit }: { data: ScopedBudgetsData; canEdit: boolean }) {
  return (
    <TableCard
      title="Budgets per organization, app and key"
      description={
        <>
          Monthly and daily budgets; windows are the reporting time zone&apos;s days and months, and spend in every currency counts, converted
          with the Settings rates. When several budgets apply to a call, the one with the least room left decides with its policy.
        </>
      }
      action={canEdit ? <ScopedBudgetDialog options={data.options} /> : undefined}
      isEmpty={data.budgets.length === 0}
      emptyText={canEdit ? "No budgets yet: add one." : "No budgets for your organizations."}
      emptyCentered
      tableProps={{ "aria-label": "Budgets by scope and window" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>Organization</TableHead>
          <TableHead>Applies to</TableHead>
          <TableHead>Window</TableHead>
          <TableHead className="text-right">Budget</TableHead>
          <TableHead className="text-right">Spent</TableHead>
          <TableHead className="w-40">Used</TableHead>
          <TableHead>Policy</TableHead>
          {canEdit && <TableHead className="sr-only">Actions</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {data.budgets.map((b) => {
          const label = `${b.organizationName}, ${b.target}, ${WINDOW_NAMES[b.window].toLowerCase()}`;
          return (
            <TableRow key={b.id} data-budget={b.id} data-scope={b.scope}>
              <TableCell className="font-medium">{b.organizationName}</TableCell>
              <TableCell data-testid="budget-target">{b.target}</TableCell>
              <TableCell className="whitespace-nowrap">
                {WINDOW_NAMES[b.window]}
                <span className="block text-xs text-muted-foreground">{b.window === "day" ? formatDay(b.windowStart) : formatMonth(b.windowStart.slice(0, 7))}</span>
              </TableCell>
              <TableCell className="text-right tabular-nums" data-testid="scoped-budget-amount">
                <Money amount={b.amount} currency={b.currency} />
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {b.spent === null ? (
                  <span className="text-xs text-muted-foreground">no rate for {b.unconvertible.join(", ")}</span>
                ) : (
                  <Money amount={b.spent} currency={b.currency} />
                )}
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-2">
                  <SpendBar pct={b.pct} label={`${label}: share of the budget spent`} />
                  <span className="w-12 shrink-0 text-right text-xs tabular-nums">{b.pct === null ? "" : `${b.pct}%`}</span>
                </div>
              </TableCell>
              <TableCell>
                <Badge variant={b.policy === "block" ? "destructive" : b.policy === "downgrade" ? "warning" : "secondary"} title={POLICY_LABELS[b.policy]}>
                  {POLICY_SHORT[b.policy]}
                </Badge>
              </TableCell>
              {canEdit && (
                <TableCell className="whitespace-nowrap text-right">
                  <ScopedBudgetDialog budget={b} options={data.options} />
                  <DeleteBudgetButton id={b.id} label={label} />
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </TableCard>
  );
}
