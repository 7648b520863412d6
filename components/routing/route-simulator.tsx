"use client";

import { useState } from "react";
import { AlertTriangle, Play } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { RoutingPageData } from "@/lib/db/routing";
import { readinessMark, readinessProblem, type ProviderReadiness } from "@/lib/engine/provider-readiness";
import type { RouteTarget } from "@/lib/engine/types";
import { Field } from "./field";
import { TraceList } from "./trace-list";
import { useSimulateRoute } from "./use-simulate-route";

const NONE = "__none";

function TargetLine({ target, readiness }: { target: RouteTarget; readiness: Map<string, ProviderReadiness> }) {
  const mark = readinessMark(readiness.get(target.provider.code));
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono text-sm">{target.model.modelCode}</span>
      <span className="text-xs text-muted-foreground">{target.provider.code}</span>
      <Badge variant="outline">{target.source.replaceAll("_", " ")}</Badge>
      {mark && <Badge variant="destructive">{mark}</Badge>}
    </span>
  );
}

/** What a real call would meet: the primary's provider problem, and fallbacks that cannot help. */
function ReadinessAlert({ primary, readiness }: { primary: RouteTarget; readiness: ProviderReadiness[] }) {
  const problems = readiness.map((r) => ({ r, problem: readinessProblem(r) })).filter((p) => p.problem !== null);
  if (problems.length === 0) return null;
  const primaryProblem = problems.find((p) => p.r.providerCode === primary.provider.code)?.problem;
  const usable = readiness.filter((r) => r.ready).map((r) => r.providerCode);
  // Foreground text on a tinted box: the destructive alert's red text is below 4.5:1 (axe).
  return (
    <div role="alert" data-testid="sim-readiness" className="grid gap-2 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm">
      <p className="flex gap-2 font-medium">
        <AlertTriangle className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
        <span>
          {primaryProblem
            ? usable.length > 0
              ? `The primary would fail: ${primaryProblem}`
              : `A real call would fail: ${primaryProblem}`
            : "A fallback could not serve a call"}
        </span>
      </p>
      <ul className="grid gap-1 pl-6">
        {problems.map(({ r, problem }) => <li key={r.providerCode}>{problem}.</li>)}
      </ul>
      {primaryProblem && usable.length > 0 && <p className="pl-6">A real call would go on to a fallback on {usable.join(", ")}.</p>}
      <p className="pl-6">The simulator decides as the gateway does; the gateway answers 502 when no provider can serve.</p>
    </div>
  );
}

export function RouteSimulator({ data }: { data: Pick<RoutingPageData, "apps" | "organizations" | "rules"> }) {
  const [appId, setAppId] = useState(data.apps[0]?.id ?? "");
  // Start from an action the chosen app has a rule for, so the first run shows a real decision.
  const firstAction = (id: string) => data.rules.find((r) => r.appId === id && r.actionType !== "*")?.actionType ?? "";
  const [organizationId, setOrganizationId] = useState(NONE);
  const [actionType, setActionType] = useState(() => firstAction(data.apps[0]?.id ?? ""));
  const [sampleText, setSampleText] = useState("");
  const simulate = useSimulateRoute();
  const result = simulate.data;
  const decision = result?.ok ? result.data.decision : null;
  const readiness = result?.ok ? result.data.readiness : [];
  const readinessByCode = new Map(readiness.map((r) => [r.providerCode, r]));
  const fieldErrors = result && !result.ok ? (result.fieldErrors ?? {}) : {};

  return (
    <Card>
      <CardHeader>
        <CardTitle>Route simulator</CardTitle>
        <CardDescription>
          The gateway&apos;s own engine on the configuration you can see. The budget step is not evaluated here.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6 lg:grid-cols-[minmax(0,20rem)_1fr]">
        <form
          className="grid content-start gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            simulate.mutate({ appId, organizationId: organizationId === NONE ? null : organizationId, actionType, sampleText });
          }}
        >
          <Field id="sim-app" label="App" errors={fieldErrors.appId}>
            <Select value={appId} onValueChange={(v) => { setAppId(v); setActionType(firstAction(v) || actionType); }}>
              <SelectTrigger id="sim-app" className="w-full"><SelectValue placeholder="Choose an app" /></SelectTrigger>
              <SelectContent>{data.apps.map((a) => <SelectItem key={a.id} value={a.id}>{a.name}</SelectItem>)}</SelectContent>
            </Select>
          </Field>
          <Field id="sim-org" label="Organization" errors={fieldErrors.organizationId}>
            <Select value={organizationId} onValueChange={setOrganizationId}>
              <SelectTrigger id="sim-org" className="w-full"><SelectValue /></SelectTrigger>
              <SelectContent>
                <SelectItem value={NONE}>None (defaults only)</SelectItem>
                {data.organizations.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}
              </SelectContent>
            </Select>
          </Field>
          <Field id="sim-action" label="Action type" errors={fieldErrors.actionType}>
            <Input id="sim-action" value={actionType} onChange={(e) => setActionType(e.target.value)} />
          </Field>
          <Field id="sim-text" label="Sample text" hint="Classified into a query pattern, as the gateway does." errors={fieldErrors.sampleText}>
            <Textarea id="sim-text" rows={3} value={sampleText} onChange={(e) => setSampleText(e.target.value)} placeholder="Classificeer: lekkage in de badkamer" />
          </Field>
          <Button type="submit" disabled={simulate.isPending || !appId}><Play /> {simulate.isPending ? "Simulating…" : "Simulate"}</Button>
        </form>
        <div className="grid content-start gap-4" aria-live="polite">
          {!result && <p className="text-sm text-muted-foreground">Pick an app, organization and action, then run the simulator.</p>}
          {result && !result.ok && (
            <Alert variant="destructive"><AlertTitle>Could not simulate</AlertTitle><AlertDescription>{result.error}</AlertDescription></Alert>
          )}
          {decision && !decision.ok && (
            <Alert variant="destructive"><AlertTitle>No route: {decision.error.replaceAll("_", " ")}</AlertTitle><AlertDescription>{decision.message}</AlertDescription></Alert>
          )}
          {decision?.ok && <ReadinessAlert primary={decision.primary} readiness={readiness} />}
          {decision?.ok && (
            <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
              <dt className="text-muted-foreground">Model</dt>
              <dd data-testid="sim-model"><TargetLine target={decision.primary} readiness={readinessByCode} /></dd>
              <dt className="text-muted-foreground">Fallbacks</dt>
              <dd>
                {decision.fallbacks.length === 0 ? "—" : (
                  <ol className="grid gap-1">{decision.fallbacks.map((f, i) => <li key={`${f.model.id}-${i}`}><TargetLine target={f} readiness={readinessByCode} /></li>)}</ol>
                )}
              </dd>
              <dt className="text-muted-foreground">Query pattern</dt>
              <dd>{decision.queryPattern}</dd>
              <dt className="text-muted-foreground">Params</dt>
              <dd className="font-mono text-xs">{Object.keys(decision.params).length ? JSON.stringify(decision.params) : "—"}</dd>
            </dl>
          )}
          {result?.ok && (
            <div className="grid gap-2">
              <h3 className="text-sm font-medium">Trace</h3>
              <TraceList trace={result.data.decision.trace} />
            </div>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
