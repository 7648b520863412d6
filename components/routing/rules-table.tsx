"use client";

import { useState } from "react";
import { Plus } from "lucide-react";
import { TableCard } from "@/components/dashboard/table-card";
import { formatCount } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RoutingPageData, RoutingRule } from "@/lib/db/routing";
import { RuleFormDialog } from "./rule-form-dialog";
import { RuleEnabledSwitch, RuleRowActions } from "./rule-row-actions";

const ALL = "__all";

interface RulesTableProps {
  data: RoutingPageData;
  /** null = platform admin (any organization and the defaults); [] = read-only. */
  writableOrgIds: string[] | null;
}

function canWrite(rule: RoutingRule, writableOrgIds: string[] | null): boolean {
  if (writableOrgIds === null) return true;
  return rule.organizationId !== null && writableOrgIds.includes(rule.organizationId);
}

function paramsText(rule: RoutingRule): string {
  const parts = [];
  if (rule.temperature !== null) parts.push(`temp ${rule.temperature}`);
  if (rule.maxTokens !== null) parts.push(`max ${formatCount(rule.maxTokens)}`);
  return parts.join(" · ") || "—";
}

export function RulesTable({ data, writableOrgIds }: RulesTableProps) {
  const [appId, setAppId] = useState(ALL);
  const models = new Map(data.models.map((m) => [m.id, m]));
  const rules = appId === ALL ? data.rules : data.rules.filter((r) => r.appId === appId);
  const canCreate = writableOrgIds === null || writableOrgIds.length > 0;
  return (
    <TableCard
      layout="padded"
      title="Routing rules"
      description={<>{data.rules.length} rule{data.rules.length === 1 ? "" : "s"} you can see: app defaults and your organizations&apos; overrides.</>}
      action={
        <>
          <Select value={appId} onValueChange={setAppId}>
            <SelectTrigger size="sm" aria-label="Filter by app"><SelectValue /></SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL}>All apps</SelectItem>
              {data.apps.map((a) => <SelectItem key={a.id} value={a.id}>{a.name}</SelectItem>)}
            </SelectContent>
          </Select>
          {canCreate && (
            <RuleFormDialog data={data} writableOrgIds={writableOrgIds} trigger={<Button size="sm"><Plus /> New rule</Button>} />
          )}
        </>
      }
      actionClassName="flex flex-wrap items-center gap-2"
      isEmpty={rules.length === 0}
      emptyText={<>No routing rules here yet{canCreate ? ": create one with “New rule”." : "."}</>}
    >
      <TableHeader>
        <TableRow>
          <TableHead>App · organization</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Model → fallbacks</TableHead>
          <TableHead className="text-right">Priority</TableHead>
          <TableHead>Params</TableHead>
          <TableHead>Enabled</TableHead>
          <TableHead><span className="sr-only">Actions</span></TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rules.map((rule) => {
          const model = models.get(rule.modelId);
          const writable = canWrite(rule, writableOrgIds);
          return (
            <TableRow key={rule.id} data-rule={`${rule.organizationName ?? "default"}:${rule.actionType}:${rule.priority}`} className={rule.enabled ? undefined : "text-muted-foreground"}>
              <TableCell>
                <div className="font-medium">{rule.appName}</div>
                <div className="text-xs text-muted-foreground">{rule.organizationName ?? <Badge variant="secondary">Default</Badge>}</div>
              </TableCell>
              <TableCell className="font-mono text-xs">{rule.actionType}</TableCell>
              <TableCell className="whitespace-normal">
                <span className="font-mono text-xs">{model?.modelCode ?? "?"}</span>
                {model && !model.enabled && <Badge variant="outline" className="ml-2">disabled</Badge>}
                {rule.fallbackModelIds.length > 0 && (
                  <div className="mt-0.5 text-xs text-muted-foreground">
                    → {rule.fallbackModelIds.map((id) => models.get(id)?.modelCode ?? "?").join(" → ")}
                  </div>
                )}
              </TableCell>
              <TableCell className="text-right tabular-nums">{rule.priority}</TableCell>
              <TableCell className="text-xs whitespace-nowrap">{paramsText(rule)}</TableCell>
              <TableCell>
                {/* outline: the tinted success badge's text is below 4.5:1 contrast (axe, issue 12). */}
                {writable ? <RuleEnabledSwitch rule={rule} /> : <Badge variant="outline" className={rule.enabled ? undefined : "text-muted-foreground"}>{rule.enabled ? "on" : "off"}</Badge>}
              </TableCell>
              <TableCell>{writable && <RuleRowActions rule={rule} data={data} writableOrgIds={writableOrgIds} />}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </TableCard>
  );
}
