import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { formatDay, formatMoney, formatMonth, formatUtc } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ForecastFigure } from "@/lib/db/budget-scopes";
import type { BudgetAlertRow, BudgetsData, DeliveryStatus } from "@/lib/db/budgets";
import { POLICY_LABELS } from "@/lib/schemas/budget";
import { WINDOW_NAMES } from "@/lib/schemas/budget-scope";
import { callsHref, monthRange } from "@/lib/schemas/calls-href";
import { BudgetDialog } from "./budget-dialog";
import { SpendBar } from "./spend-bar";

const STATUS: Record<DeliveryStatus, { label: string; variant: "success" | "secondary" | "warning" | "destructive" | "outline" }> = {
  delivered: { label: "Delivered", variant: "success" },
  pending: { label: "Pending", variant: "secondary" },
  retrying: { label: "Retrying", variant: "warning" },
  failed: { label: "Failed", variant: "destructive" },
  no_webhook: { label: "No webhook", variant: "outline" },
  not_sent: { label: "Not sent", variant: "outline" },
};

const POLICY_SHORT = { alert: "Alert", block: "Block", downgrade: "Downgrade" } as const;

function deliveryDetail(a: BudgetAlertRow): string {
  if (a.status === "delivered" && a.notifiedAt) return `at ${formatUtc(a.notifiedAt)}`;
  const tries = a.attempts > 0 ? `${a.attempts} attempt${a.attempts === 1 ? "" : "s"}` : "";
  const next = a.status === "retrying" && a.nextAttemptAt ? `next ${formatUtc(a.nextAttemptAt)}` : "";
  return [tries, a.lastError ?? "", next].filter(Boolean).join(" · ");
}

const KIND: Record<BudgetAlertRow["kind"], string> = { threshold: "Threshold", forecast: "Forecast", spike: "Spike" };

/** What crossed the line: a threshold's percent, the forecast's percent of the budget, a spike's day against its median. */
function alertWhat(a: BudgetAlertRow): string {
  if (a.kind === "spike") return `${a.day ? formatDay(a.day) : ""}: ${a.thresholdPct} % of the 14-day median`;
  if (a.kind === "forecast") return `month-end forecast at ${a.thresholdPct} %`;
  return `${a.thresholdPct} %`;
}

const SCOPE_NOUN = { organization: "organization", app: "app", key: "API key" } as const;

/** Which budget a threshold alert belongs to: "Daily app budget · Werkbon"; null for the organization's monthly one. */
export function alertBudget(a: Pick<BudgetAlertRow, "kind" | "scope" | "window" | "target" | "budgetId">): string | null {
  if (a.kind !== "threshold" || (a.scope === "organization" && a.window === "month")) return null;
  const name = a.scope === "organization" ? "" : ` · ${a.target ?? "unnamed"}`;
  return `${WINDOW_NAMES[a.window]} ${SCOPE_NOUN[a.scope]} budget${name}${a.budgetId === null ? " (removed)" : ""}`;
}

export function BudgetsView({ data, canEdit, forecasts = [] }: { data: BudgetsData; canEdit: boolean; forecasts?: ForecastFigure[] }) {
  const forecastOf = new Map(forecasts.map((f) => [f.organizationId, f]));
  return (
    <div className="flex flex-col gap-6">
      <TableCard
        title={<>Budgets for {formatMonth(data.month)}</>}
        description={
          <>
            &ldquo;Against budget&rdquo; counts the calls priced in the budget&apos;s currency, as the gateway does; &ldquo;All
            spend&rdquo; is every call converted into {data.reportingCurrency}, the figure Overview and Costs show (total{" "}
            <Money amount={data.total.amount} currency={data.reportingCurrency} />
            <UnconvertedNote unconverted={data.total.unconverted} className="ml-1" />
            ).{" "}
            {canEdit ? "Changes reach the gateway within a second." : "Only platform administrators can change budgets."}
          </>
        }
        isEmpty={data.organizations.length === 0}
        emptyText="No organizations you can see."
        emptyCentered
        tableProps={{ "aria-label": "Budgets per organization" }}
      >
        <TableHeader>
          <TableRow>
            <TableHead>Organization</TableHead>
            <TableHead className="text-right">Monthly budget</TableHead>
            <TableHead className="text-right">Against budget</TableHead>
            <TableHead className="text-right">All spend ({data.reportingCurrency})</TableHead>
            <TableHead className="text-right" title="Weekday profile of the last 8 weeks, scaled by the last 7 days">Forecast month-end</TableHead>
            <TableHead className="w-44" title="Marks at 80 % and 100 %">Used</TableHead>
            <TableHead>Policy</TableHead>
            {data.webhooksVisible && <TableHead>Webhook</TableHead>}
            {canEdit && <TableHead className="sr-only">Actions</TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.organizations.map((o) => (
            <TableRow key={o.id} data-org={o.slug}>
              <TableCell className="font-medium">
                {/* The monthly budget counts a UTC month: its Calls link reads the same days. */}
                <Link href={callsHref({ organization: o.id, ...monthRange(data.month), tz: "UTC" })} className="underline-offset-4 hover:underline" data-drill="calls">
                  {o.name}
                </Link>
              </TableCell>
              <TableCell className="text-right tabular-nums" data-testid="budget-amount">
                {o.monthlyBudget === null ? <span className="text-muted-foreground">No budget</span> : <Money amount={o.monthlyBudget} currency={o.currency} />}
              </TableCell>
              <TableCell className="text-right tabular-nums">
                <Money amount={o.spent} currency={o.currency} />
              </TableCell>
              <TableCell className="text-right tabular-nums" data-testid="budget-spent-all">
                <Money amount={o.spentAll.amount} currency={data.reportingCurrency} />
                <UnconvertedNote unconverted={o.spentAll.unconverted} className="block text-xs text-muted-foreground" />
              </TableCell>
              <TableCell className="text-right tabular-nums" data-testid="budget-forecast">
                <ForecastCell forecast={forecastOf.get(o.id)} hasBudget={o.monthlyBudget !== null} />
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-2">
                  <SpendBar pct={o.pct} label={`${o.name}: share of the monthly budget spent`} />
                  <span className="w-12 shrink-0 text-right text-xs tabular-nums">{o.pct === null ? (o.over ? "over" : "") : `${o.pct}%`}</span>
                </div>
              </TableCell>
              <TableCell>
                <Badge variant={o.policy === "block" ? "destructive" : o.policy === "downgrade" ? "warning" : "secondary"} title={POLICY_LABELS[o.policy]}>
                  {POLICY_SHORT[o.policy]}
                </Badge>
              </TableCell>
              {data.webhooksVisible && (
                <TableCell className="max-w-40 truncate font-mono text-xs" title={o.webhookHost ?? undefined}>
                  {o.webhookHost ?? <span className="font-sans text-muted-foreground">None</span>}
                </TableCell>
              )}
              {canEdit && (
                <TableCell className="text-right">
                  <BudgetDialog organizationId={o.id} name={o.name} monthlyBudget={o.monthlyBudget} currency={o.currency} policy={o.policy} webhookUrl={o.webhookUrl} />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </TableCard>
      <TableCard
        title="Alert history"
        description={
          <>
            Thresholds: one alert per budget, window (day or month) and threshold, recorded by the gateway when a call takes spend
            (with the calls in flight) over the line; alerts of an app, API key or daily budget name it under the organization.
            Forecast: once a month, when the month-end forecast passes the budget. Spike: a day above 3&times; the median of the 14 days
            before it. Each is sent to the organization&apos;s webhook with retries (the latest 100).
            {!data.webhooksVisible && " Webhook addresses are visible to platform administrators only."}
          </>
        }
        isEmpty={data.alerts.length === 0}
        emptyText="No budget alerts yet."
        emptyCentered
        tableProps={{ "aria-label": "Budget alerts" }}
      >
        <TableHeader>
          <TableRow>
            <TableHead>Raised</TableHead>
            <TableHead>Organization</TableHead>
            <TableHead>Period</TableHead>
            <TableHead>Kind</TableHead>
            <TableHead className="text-right">What</TableHead>
            <TableHead className="text-right">Spent / budget</TableHead>
            <TableHead>Delivery</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.alerts.map((a) => {
            const budget = alertBudget(a);
            return (
              <TableRow key={a.id} data-scope={a.kind === "threshold" ? a.scope : undefined} data-window={a.kind === "threshold" ? a.window : undefined}>
                <TableCell className="whitespace-nowrap text-xs">{formatUtc(a.createdAt)}</TableCell>
                <TableCell>
                  <span className="font-medium">{a.organizationName}</span>
                  {budget && <span className="block text-xs text-muted-foreground" data-testid="alert-budget">{budget}</span>}
                </TableCell>
                <TableCell className="whitespace-nowrap">{a.kind === "threshold" && a.window === "day" && a.day ? formatDay(a.day) : formatMonth(a.month)}</TableCell>
                <TableCell>
                  <Badge variant={a.kind === "threshold" ? "secondary" : "warning"} data-kind={a.kind}>{KIND[a.kind]}</Badge>
                </TableCell>
                <TableCell className="text-right tabular-nums">{alertWhat(a)}</TableCell>
                <TableCell className="text-right tabular-nums whitespace-nowrap">
                  {formatMoney(a.spent, a.currency)} / {formatMoney(a.budget, a.currency)}
                </TableCell>
                <TableCell>
                  <div className="flex flex-col gap-0.5">
                    <Badge variant={STATUS[a.status].variant} className="w-fit">{STATUS[a.status].label}</Badge>
                    <span className="max-w-72 truncate text-xs text-muted-foreground" title={deliveryDetail(a)}>{deliveryDetail(a)}</span>
                  </div>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </TableCard>
    </div>
  );
}

function ForecastCell({ forecast, hasBudget }: { forecast: ForecastFigure | undefined; hasBudget: boolean }) {
  if (!hasBudget || !forecast) return <span className="text-muted-foreground">—</span>;
  if (forecast.monthEnd === null) return <span className="text-xs text-muted-foreground">no rate for {forecast.unconvertible.join(", ")}</span>;
  return (
    <span className="inline-flex flex-col items-end">
      <Money amount={forecast.monthEnd} currency={forecast.currency} />
      {forecast.over && <span className="text-xs font-medium text-warning-ink">over budget</span>}
    </span>
  );
}
