import { formatCount, formatMoney, formatTimestamp } from "@/components/format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { CallAttempt } from "@/lib/db/calls";
import { CallStatusBadge } from "./status-badge";

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm tabular-nums">{value}</dd>
    </div>
  );
}

const price = (v: string | null, currency: string | null) => (v === null ? "—" : `${formatMoney(v, currency, { precision: "call" })} / M tok`);

export function AttemptCard({ attempt: a }: { attempt: CallAttempt }) {
  return (
    <Card role="region" aria-label={`Attempt ${a.attempt}`}>
      <CardHeader className="flex flex-row flex-wrap items-center gap-2">
        <CardTitle className="text-base">Attempt {a.attempt}</CardTitle>
        <CallStatusBadge status={a.status} isFallback={a.isFallback} />
        <span className="text-xs text-muted-foreground">{formatTimestamp(a.createdAt)}</span>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-3 sm:grid-cols-3 lg:grid-cols-4">
          <Field label="Provider · model" value={`${a.providerCode ?? "—"} · ${a.modelCode ?? "—"}`} />
          <Field label="Routing source" value={a.routingSource ?? "—"} />
          <Field label="Error" value={a.errorType ? `${a.errorType}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ""}` : "—"} />
          <Field label="Latency · TTFT" value={`${a.latencyMs === null ? "—" : `${formatCount(a.latencyMs)} ms`} · ${a.ttftMs === null ? "—" : `${formatCount(a.ttftMs)} ms`}`} />
          <Field label="Prompt tokens" value={formatCount(a.promptTokens)} />
          <Field label="Completion tokens" value={formatCount(a.completionTokens)} />
          <Field label="Cached tokens" value={formatCount(a.cachedTokens)} />
          {a.cacheWriteTokens ? <Field label="Cache-write tokens" value={formatCount(a.cacheWriteTokens)} /> : null}
          <Field label="Total tokens" value={formatCount(a.totalTokens)} />
          <Field label="Input price" value={price(a.inputPricePerMtok, a.currency)} />
          <Field label="Output price" value={price(a.outputPricePerMtok, a.currency)} />
          <Field label="Cached input price" value={price(a.cachedInputPricePerMtok, a.currency)} />
          {a.cacheWriteTokens ? (
            <Field
              label="Cache-write price"
              // Priced but without a write price in the row: the writes were priced as input.
              value={a.cacheWritePricePerMtok !== null ? price(a.cacheWritePricePerMtok, a.currency) : a.cost !== null ? "= input price" : "—"}
            />
          ) : null}
          <Field label="Cost" value={`${formatMoney(a.cost, a.currency, { precision: "call" })}${a.pricingSource ? ` (${a.pricingSource} price)` : ""}`} />
          <Field label="Baseline cost" value={formatMoney(a.baselineCost, a.currency, { precision: "call" })} />
          <Field label="Stage · type" value={`${a.pipelineStage ?? "—"} · ${a.requestType ?? "—"}`} />
          <Field label="Query pattern" value={a.queryPattern ?? "—"} />
          <Field label="Record complete" value={a.recordComplete ? "yes" : "no"} />
        </dl>
      </CardContent>
    </Card>
  );
}
