import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { formatShortDateTime, formatUtc } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ApiKeyRow } from "@/lib/db/api-keys";

/**
 * The organization's pinned app keys: name, prefix, app, scopes, limits (the key's own or the
 * default in force) and last use. Never a secret: only the stored prefix exists to show. Readable
 * by platform admins and the organization's admins; everyone else is told so.
 */

function KeyStatus({ k }: { k: ApiKeyRow }) {
  if (k.revokedAt) return <Badge variant="outline">revoked</Badge>;
  if (k.expired) return <Badge variant="outline">expired</Badge>;
  return <Badge variant="secondary">active</Badge>;
}

export function OrganizationKeysTable({ keys, canRead }: { keys: readonly ApiKeyRow[]; canRead: boolean }) {
  return (
    <TableCard
      layout="padded"
      title={<h2>API keys</h2>}
      description="App keys pinned to this organization, with their scopes and limits."
      action={
        canRead ? (
          <Link href="/keys" className="text-sm underline underline-offset-4">
            Manage keys
          </Link>
        ) : undefined
      }
      isEmpty={!canRead || keys.length === 0}
      emptyText={canRead ? "No key is pinned to this organization." : "API keys are shown to administrators of this organization only."}
      tableProps={{ className: "[overflow-wrap:anywhere]", "aria-label": "API keys", "data-testid": "organization-keys" }}
    >
      <TableHeader>
        <TableRow>
          <TableHead>Key</TableHead>
          <TableHead>Scopes · limits</TableHead>
          <TableHead>Last used</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((k) => (
          <TableRow key={k.id} data-key={k.prefix}>
            <TableCell className="align-top whitespace-normal">
              <div className="font-medium">{k.name}</div>
              <div className="text-xs text-muted-foreground">
                <span className="font-mono">{k.prefix}…</span> · {k.appName}
              </div>
              <div className="mt-1">
                <KeyStatus k={k} />
              </div>
            </TableCell>
            <TableCell className="align-top whitespace-normal text-xs">
              <div className="font-mono">{k.scopes.join(", ") || "—"}</div>
              <div className="text-muted-foreground tabular-nums">
                {k.rateLimitPerMinute ?? `${k.defaults.ratePerMinute} (default)`}/min · {k.maxConcurrent ?? `${k.defaults.maxConcurrent} (default)`} at once
              </div>
            </TableCell>
            <TableCell className="align-top text-xs whitespace-normal">
              {k.lastUsedAt ? <span title={formatUtc(k.lastUsedAt)}>{formatShortDateTime(k.lastUsedAt)}</span> : <span className="text-muted-foreground">never</span>}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableCard>
  );
}
