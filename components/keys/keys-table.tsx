import { formatCount, formatUtc } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ApiKeyRow } from "@/lib/db/api-keys";
import { EditKeyDialog } from "./edit-key-dialog";
import { RevokeKeyButton } from "./revoke-key-button";

function status(key: ApiKeyRow): { label: string; variant: "success" | "destructive" | "outline" } {
  if (key.revokedAt) return { label: "revoked", variant: "destructive" };
  if (key.expired) return { label: "expired", variant: "outline" };
  return { label: "active", variant: "success" };
}

export function KeysTable({ keys, isPlatformAdmin }: { keys: ApiKeyRow[]; isPlatformAdmin: boolean }) {
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>App · organization</TableHead>
            <TableHead>Scopes</TableHead>
            <TableHead className="text-right">Rate limit</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Status</TableHead>
            <TableHead><span className="sr-only">Actions</span></TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.map((k) => {
            const s = status(k);
            return (
              <TableRow key={k.id} data-key={k.name} className={k.revokedAt ? "text-muted-foreground" : undefined}>
                <TableCell>
                  <div className="font-medium">{k.name}</div>
                  <div className="text-xs text-muted-foreground">
                    <span className="font-mono">{k.prefix}…</span> · created {formatUtc(k.createdAt)}
                  </div>
                </TableCell>
                <TableCell>
                  <div>{k.appName}</div>
                  <div className="text-xs text-muted-foreground">{k.organizationName ?? "not pinned"}</div>
                </TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-1">{k.scopes.map((sc) => <Badge key={sc} variant="outline">{sc}</Badge>)}</div>
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  <div>{k.rateLimitPerMinute === null ? `default (${formatCount(k.defaults.ratePerMinute)}/min)` : `${formatCount(k.rateLimitPerMinute)}/min`}</div>
                  <div className="text-xs text-muted-foreground">
                    {k.maxConcurrent === null ? `default (${formatCount(k.defaults.maxConcurrent)} at once)` : `${formatCount(k.maxConcurrent)} at once`}
                  </div>
                </TableCell>
                <TableCell className="text-xs">{k.lastUsedAt ? formatUtc(k.lastUsedAt) : "never"}</TableCell>
                <TableCell><Badge variant={s.variant}>{s.label}</Badge></TableCell>
                <TableCell className="text-right">
                  {!k.revokedAt && (
                    <div className="flex items-center justify-end gap-1">
                      <EditKeyDialog apiKey={k} isPlatformAdmin={isPlatformAdmin} />
                      <RevokeKeyButton id={k.id} name={k.name} prefix={k.prefix} />
                    </div>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
