import { formatCount } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ProviderRow } from "@/lib/db/providers";
import { ProviderEnabledSwitch } from "./provider-enabled-switch";
import { ProviderFormDialog } from "./provider-form-dialog";

const KEY_BADGE: Record<ProviderRow["key"], { label: string; variant: "success" | "warning" | "outline" }> = {
  present: { label: "present", variant: "success" },
  missing: { label: "missing", variant: "warning" },
  not_needed: { label: "not needed", variant: "outline" },
};

const CIRCUIT_BADGE: Record<ProviderRow["circuit"], { label: string; variant: "success" | "warning" | "destructive" }> = {
  closed: { label: "closed", variant: "success" },
  half_open: { label: "half-open", variant: "warning" },
  open: { label: "open", variant: "destructive" },
};

export function ProvidersTable({ providers }: { providers: ProviderRow[] }) {
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Provider</TableHead>
            <TableHead>Base URL</TableHead>
            <TableHead>API key (variable · here)</TableHead>
            <TableHead>Circuit</TableHead>
            <TableHead className="text-right">Models</TableHead>
            <TableHead className="text-right">Timeout · retries</TableHead>
            <TableHead>Enabled</TableHead>
            <TableHead><span className="sr-only">Actions</span></TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {providers.map((p) => (
            <TableRow key={p.id} data-provider={p.code}>
              <TableCell>
                <div className="font-medium">{p.name}</div>
                <div className="font-mono text-xs text-muted-foreground">{p.kind === p.code ? p.code : `${p.code} · ${p.kind}`}</div>
              </TableCell>
              <TableCell className="max-w-36 truncate font-mono text-xs text-muted-foreground" title={p.baseUrl ?? undefined}>
                {p.baseUrl ?? "provider default"}
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="font-mono text-xs">{p.apiKeyEnvVar ?? "—"}</span>
                  <Badge data-testid={`key-${p.code}`} variant={KEY_BADGE[p.key].variant}>{KEY_BADGE[p.key].label}</Badge>
                </div>
              </TableCell>
              <TableCell data-testid={`circuit-${p.code}`}><Badge variant={CIRCUIT_BADGE[p.circuit].variant}>{CIRCUIT_BADGE[p.circuit].label}</Badge></TableCell>
              <TableCell className="text-right tabular-nums">{p.modelCount}</TableCell>
              <TableCell className="text-right text-xs tabular-nums text-muted-foreground">
                {formatCount(p.timeoutMs / 1000)} s · {p.maxRetries}
              </TableCell>
              <TableCell><ProviderEnabledSwitch id={p.id} code={p.code} enabled={p.enabled} /></TableCell>
              <TableCell className="text-right"><ProviderFormDialog provider={p} /></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
