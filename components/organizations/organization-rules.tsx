import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RuleInForce } from "@/lib/engine/rules-in-force";

/**
 * The routing in force for one organization, per app × action: which rule wins and why (its own
 * override, an inherited default, learned models per query pattern), what it shadows and the
 * fallback chain. Everything here is the routing engine's own answer; this only lays it out.
 */

const SOURCE_LABEL: Partial<Record<NonNullable<RuleInForce["source"]>, string>> = {
  client_override: "Override",
  configuration: "Inherited default",
  legacy: "Legacy (routing off)",
  global_fallback: "Global fallback",
};

function SourceBadge({ rule }: { rule: RuleInForce }) {
  if (rule.error) return <Badge variant="destructive">No route</Badge>;
  const label = (rule.source && SOURCE_LABEL[rule.source]) ?? rule.source ?? "—";
  return <Badge variant={rule.source === "client_override" ? "default" : "outline"}>{label}</Badge>;
}

export function OrganizationRulesTable({ rules, organizationName }: { rules: readonly RuleInForce[]; organizationName: string }) {
  return (
    <TableCard
      layout="padded"
      title={<h2>Models and rules in force</h2>}
      description={
        <>
          What the gateway routes {organizationName}&apos;s calls to, per app and action: its own overrides, the defaults it inherits and
          learned models per query pattern, decided by the same engine as the{" "}
          <Link href="/routing" className="underline underline-offset-4">
            route simulator
          </Link>
          .
        </>
      }
      isEmpty={rules.length === 0}
      emptyText="No routing rule applies to this organization yet."
      tableProps={{ className: "[overflow-wrap:anywhere]", "aria-label": "Models and rules in force", "data-testid": "rules-in-force" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>App · action</TableHead>
          <TableHead>Model</TableHead>
          <TableHead>Why</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rules.map((r) => (
          <TableRow key={`${r.appId}:${r.actionType}`} data-action={r.actionType} data-source={r.source ?? "none"}>
            <TableCell className="align-top whitespace-normal">
              <div className="font-medium">{r.appName}</div>
              <div className="font-mono text-xs text-muted-foreground break-all">{r.actionType === "*" ? "* (any action)" : r.actionType}</div>
              {r.kind === "embedding" && <div className="text-xs text-muted-foreground">embeddings</div>}
            </TableCell>
            <TableCell className="align-top whitespace-normal">
              {r.modelCode ? (
                <>
                  <div className="font-mono text-xs break-all">{r.modelCode}</div>
                  <div className="text-xs text-muted-foreground">{r.providerCode}</div>
                </>
              ) : (
                <span className="text-xs text-muted-foreground">—</span>
              )}
              {r.fallbacks.length > 0 && (
                <div className="mt-1 text-xs text-muted-foreground">
                  then <span className="font-mono break-all">{r.fallbacks.join(" → ")}</span>
                </div>
              )}
            </TableCell>
            <TableCell className="align-top whitespace-normal">
              <div className="flex flex-wrap items-center gap-2">
                <SourceBadge rule={r} />
                {r.priority !== null && <span className="text-xs text-muted-foreground tabular-nums">priority {r.priority}</span>}
              </div>
              <p className="mt-1 text-xs">{r.error ?? r.reason}</p>
              {r.learned.length > 0 && (
                <ul className="mt-1 list-disc pl-4 text-xs" aria-label="Learned overrides in force">
                  {r.learned.map((l) => (
                    <li key={l.pattern}>
                      <span className="font-medium">learned</span> {l.detail}
                    </li>
                  ))}
                </ul>
              )}
              {r.shadowed.length > 0 && (
                <ul className="mt-1 list-disc pl-4 text-xs text-muted-foreground" aria-label="Not in force">
                  {r.shadowed.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
