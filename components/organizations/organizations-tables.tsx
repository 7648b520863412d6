import Link from "next/link";
import { formatUtc } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AppRow, ModelOption, OrganizationRow } from "@/lib/db/organizations";
import { AppFormDialog } from "./app-form-dialog";
import { OrganizationFormDialog } from "./organization-form-dialog";

export function OrganizationsTable({ organizations }: { organizations: OrganizationRow[] }) {
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Organization</TableHead>
            <TableHead>Tier</TableHead>
            <TableHead className="text-right">Members</TableHead>
            <TableHead className="text-right">Active keys</TableHead>
            <TableHead>Created</TableHead>
            <TableHead><span className="sr-only">Actions</span></TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {organizations.map((o) => (
            <TableRow key={o.id} data-organization={o.slug}>
              <TableCell>
                <Link href={`/organizations/${o.id}`} className="font-medium underline-offset-4 hover:underline">
                  {o.name}
                </Link>
                <div className="font-mono text-xs text-muted-foreground">{o.slug}</div>
              </TableCell>
              <TableCell><Badge variant={o.tier === "premium" ? "default" : "outline"}>{o.tier}</Badge></TableCell>
              <TableCell className="text-right tabular-nums">{o.members}</TableCell>
              <TableCell className="text-right tabular-nums">{o.keys}</TableCell>
              <TableCell className="text-xs">{formatUtc(o.createdAt)}</TableCell>
              <TableCell className="text-right"><OrganizationFormDialog organization={o} /></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function AppsTable({ apps, models }: { apps: AppRow[]; models: ModelOption[] }) {
  const label = (id: string | null) => (id ? (models.find((m) => m.id === id)?.label ?? "unknown model") : "—");
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>App</TableHead>
            <TableHead>Baseline model</TableHead>
            <TableHead>Legacy model</TableHead>
            <TableHead>Explicit models</TableHead>
            <TableHead className="text-right">Rules · keys</TableHead>
            <TableHead><span className="sr-only">Actions</span></TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {apps.map((a) => (
            <TableRow key={a.id} data-app={a.code}>
              <TableCell className="max-w-72">
                <div className="font-medium">{a.name}</div>
                <div className="truncate text-xs text-muted-foreground" title={a.description ?? undefined}>
                  <span className="font-mono">{a.code}</span>
                  {a.description ? ` · ${a.description}` : ""}
                </div>
              </TableCell>
              <TableCell className="font-mono text-xs">{label(a.baselineModelId)}</TableCell>
              <TableCell className="font-mono text-xs">{label(a.legacyModelId)}</TableCell>
              <TableCell>{a.allowExplicitModels ? <Badge variant="outline">allowed</Badge> : <span className="text-xs text-muted-foreground">actions only</span>}</TableCell>
              <TableCell className="text-right tabular-nums">{a.rules} · {a.keys}</TableCell>
              <TableCell className="text-right"><AppFormDialog app={a} models={models} /></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
