import type { ReactNode } from "react";
import { formatPrice } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ImportPreview, MatchedModel, PriceValues } from "@/lib/db/litellm-import";
import type { ParsedLitellmFile, ReportedEntry } from "@/lib/engine/litellm-import";

/** The parts of the LiteLLM import dialog that only show data: file summary and preview tables. */

const STATUS: Record<MatchedModel["status"], { label: string; variant: "success" | "warning" | "secondary" | "destructive" }> = {
  new: { label: "first price", variant: "success" },
  changed: { label: "changed", variant: "warning" },
  same: { label: "same, skipped", variant: "secondary" },
  clash: { label: "row at that moment exists, skipped", variant: "destructive" },
};

function priceText(p: PriceValues, currency: string): string {
  const cached = p.cachedInputPerMtok !== null ? ` · cached ${formatPrice(p.cachedInputPerMtok, currency)}` : "";
  const write = p.cacheWritePerMtok !== null ? ` · cache write ${formatPrice(p.cacheWritePerMtok, currency)}` : "";
  return `${formatPrice(p.inputPerMtok, currency)} / ${formatPrice(p.outputPerMtok, currency)}${cached}${write}`;
}

export function FileSummary({ file }: { file: ParsedLitellmFile }) {
  const unknown = Object.entries(file.unknownFields).sort((a, b) => b[1] - a[1]);
  return (
    <div className="space-y-2 text-sm" data-testid="litellm-file-summary">
      <p>
        {file.total} entries: <strong>{file.entries.length}</strong> importable chat prices, {file.skipped.length} skipped,{" "}
        <span className={file.malformed.length > 0 ? "text-destructive" : undefined}>{file.malformed.length} malformed</span>;{" "}
        {unknown.length} unused field name{unknown.length === 1 ? "" : "s"} ignored.
      </p>
      <ReportList title="Malformed entries (not imported)" items={file.malformed} />
      <ReportList title="Skipped entries" items={file.skipped} />
      {unknown.length > 0 && (
        <Details title={`Ignored fields (${unknown.length})`}>
          <p className="font-mono text-xs text-muted-foreground">{unknown.map(([name, n]) => `${name} ×${n}`).join(", ")}</p>
        </Details>
      )}
    </div>
  );
}

function Details({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="rounded-md border px-3 py-2">
      <summary className="cursor-pointer text-sm font-medium">{title}</summary>
      <div className="mt-2 max-h-48 overflow-y-auto">{children}</div>
    </details>
  );
}

function ReportList({ title, items }: { title: string; items: ReportedEntry[] }) {
  if (items.length === 0) return null;
  return (
    <Details title={`${title} (${items.length})`}>
      <ul className="space-y-0.5 text-xs">
        {items.map((item) => (
          <li key={`${item.key}:${item.reason}`}>
            <span className="font-mono">{item.key}</span> <span className="text-muted-foreground">— {item.reason}</span>
          </li>
        ))}
      </ul>
    </Details>
  );
}

export function PreviewTables({ preview }: { preview: ImportPreview }) {
  const { counts } = preview;
  return (
    <div className="space-y-3" data-testid="litellm-preview">
      <p className="text-sm">
        <strong>{counts.toAdd}</strong> price{counts.toAdd === 1 ? "" : "s"} to add, {counts.same} identical (skipped)
        {counts.clash > 0 && `, ${counts.clash} clashing with a row at the same moment`}; {counts.newModels} model
        {counts.newModels === 1 ? "" : "s"} not in the catalog; {counts.unmatched} without a matching provider.
      </p>
      {preview.matched.length > 0 && (
        <div className="max-h-72 overflow-auto rounded-md border">
          <Table aria-label="Models in the catalog: price in force vs imported">
            <TableHeader>
              <TableRow>
                <TableHead>Model</TableHead>
                <TableHead>In force then (in / out per 1M)</TableHead>
                <TableHead>Imported (USD)</TableHead>
                <TableHead>Result</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {preview.matched.map((m) => (
                <TableRow key={m.modelId} data-model={m.modelCode}>
                  <TableCell>
                    <div className="font-mono text-xs">{m.modelCode}</div>
                    <div className="text-xs text-muted-foreground">{m.providerCode}</div>
                  </TableCell>
                  <TableCell className="text-xs whitespace-normal tabular-nums">{m.current ? priceText(m.current, m.current.currency) : "—"}</TableCell>
                  <TableCell className="text-xs whitespace-normal tabular-nums">{priceText(m.imported, "USD")}</TableCell>
                  <TableCell className="whitespace-normal"><Badge variant={STATUS[m.status].variant} className="whitespace-normal">
                      {STATUS[m.status].label}
                      {/* A new USD row replaces a contract price in another currency: worth a second look. */}
                      {m.status === "changed" && m.current && m.current.currency !== "USD" && `, ${m.current.currency} → USD`}
                    </Badge></TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {preview.newModels.length > 0 && (
        <Details title={`Models not in the catalog (${preview.newModels.length})`}>
          <ul className="space-y-0.5 text-xs">
            {preview.newModels.map((m) => (
              <li key={m.key}>
                <span className="font-mono">{m.providerCode}/{m.modelCode}</span>{" "}
                <span className="text-muted-foreground">{priceText(m.imported, "USD")}</span>
              </li>
            ))}
          </ul>
        </Details>
      )}
      <ReportList title="No matching provider" items={preview.unmatched} />
    </div>
  );
}
