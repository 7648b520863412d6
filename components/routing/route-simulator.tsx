"use client";

import { useState } from "react";
import { Play } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { RoutingPageData } from "@/lib/db/routing";
import type { RouteTarget } from "@/lib/engine/types";
import { Field } from "./field";
import { TraceList } from "./trace-list";
import { useSimulateRoute } from "./use-simulate-route";

const NONE = "__none";

function TargetLine({ target }: { target: RouteTarget }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono text-sm">{target.model.modelCode}</span>
      <span className="text-xs text-muted-foreground">{target.provider.code}</span>
      <Badge variant="outline">{target.source.replaceAll("_", " ")}</Badge>
    </span>
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
  const decision = result?.ok ? result.data : null;
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
          {decision?.ok && (
            <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
              <dt className="text-muted-foreground">Model</dt>
              <dd data-testid="sim-model"><TargetLine target={decision.primary} /></dd>
              <dt className="text-muted-foreground">Fallbacks</dt>
              <dd>
                {decision.fallbacks.length === 0 ? "—" : (
                  <ol className="grid gap-1">{decision.fallbacks.map((f, i) => <li key={`${f.model.id}-${i}`}><TargetLine target={f} /></li>)}</ol>
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
              <TraceList trace={result.data.trace} />
            </div>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
