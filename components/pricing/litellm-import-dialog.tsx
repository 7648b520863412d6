"use client";

import { useEffect, useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { Field } from "@/components/routing/field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { importLitellmPrices } from "@/lib/actions/pricing/import-litellm-prices";
import { previewLitellmImportAction } from "@/lib/actions/pricing/preview-litellm-import";
import { parseLitellmFile, type ParsedLitellmFile } from "@/lib/engine/litellm-import";
import { LITELLM_MAX_FILE_BYTES, todayUtc } from "@/lib/schemas/litellm-import";
import { FileSummary, PreviewTables } from "./litellm-import-preview";

/**
 * "Import LiteLLM prices": the browser reads and parses the file (the same pure parser the
 * server's tests cover) and sends only the importable entries; the server previews them against
 * the catalog at the chosen date, then adds price rows from that date (never overwriting one)
 * and reprices the affected models' unpriced calls in the background.
 */
export function LitellmImportDialog({ trigger }: { trigger: ReactNode }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<ParsedLitellmFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [day, setDay] = useState(todayUtc);
  const [addNewModels, setAddNewModels] = useState(false);
  const [pending, startTransition] = useTransition();
  const preview = useMutation({
    mutationKey: ["pricing", "litellm-preview"],
    mutationFn: (input: { entries: ParsedLitellmFile["entries"]; effectiveFrom: string }) => previewLitellmImportAction(input),
  });
  const { mutate, reset } = preview;

  // The comparison depends on the date (the price in force then), so a new date re-previews.
  useEffect(() => {
    if (file && file.entries.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(day)) mutate({ entries: file.entries, effectiveFrom: day });
  }, [file, day, mutate]);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setFile(null);
      setFileError(null);
      setDay(todayUtc());
      setAddNewModels(false);
      reset();
    }
  }

  async function onFile(selected: File | undefined) {
    setFile(null);
    setFileError(null);
    reset();
    if (!selected) return;
    if (selected.size > LITELLM_MAX_FILE_BYTES) {
      setFileError(`The file is ${(selected.size / 1024 / 1024).toFixed(1)} MB; at most ${LITELLM_MAX_FILE_BYTES / 1024 / 1024} MB.`);
      return;
    }
    const parsed = parseLitellmFile(await selected.text());
    if (!parsed.ok) setFileError(parsed.error);
    else if (parsed.file.entries.length === 0) setFileError("The file has no chat-model prices of a provider we run.");
    else setFile(parsed.file);
  }

  const result = preview.data;
  const data = result?.ok ? result.data : null;
  const toAdd = (data?.counts.toAdd ?? 0) + (addNewModels ? (data?.counts.newModels ?? 0) : 0);

  function confirm() {
    if (!file) return;
    startTransition(async () => {
      const outcome = await importLitellmPrices({ entries: file.entries, effectiveFrom: day, addNewModels });
      if (!outcome.ok) {
        toast.error(outcome.error);
        return;
      }
      const r = outcome.data;
      const parts = [`Added ${r.pricesAdded} price${r.pricesAdded === 1 ? "" : "s"}`, `${r.sameSkipped} identical skipped`];
      if (r.modelsAdded > 0) parts.push(`${r.modelsAdded} model${r.modelsAdded === 1 ? "" : "s"} added (disabled)`);
      const job = r.job
        ? r.jobCreated
          ? ` Recomputing unpriced calls of ${r.affectedModelIds.length} model${r.affectedModelIds.length === 1 ? "" : "s"} in the background (see Completeness).`
          : " A recompute was already running: run “Recompute costs” again once it has finished."
        : "";
      toast.success(`${parts.join(", ")}.${job}`, { description: outcome.message });
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[90vh] grid-cols-[minmax(0,1fr)] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Import LiteLLM prices</DialogTitle>
          <DialogDescription>
            A file in LiteLLM&apos;s <code className="text-xs">model_prices_and_context_window.json</code> format (USD per token). Prices are added as
            new rows from the chosen date; history is kept and identical prices are skipped.
          </DialogDescription>
        </DialogHeader>
        <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="litellm-file" label="Price file (JSON, at most 5 MB)" errors={fileError ? [fileError] : undefined}>
              <Input id="litellm-file" type="file" accept=".json,application/json" onChange={(e) => void onFile(e.target.files?.[0])} aria-invalid={Boolean(fileError)} />
            </Field>
            <Field id="litellm-date" label="Effective from (00:00 UTC)" hint="Default: today" errors={result && !result.ok ? result.fieldErrors?.effectiveFrom : undefined}>
              <Input id="litellm-date" type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
            </Field>
          </div>
          {file && <FileSummary file={file} />}
          {preview.isPending && <p className="text-sm text-muted-foreground">Comparing with the catalog…</p>}
          {result && !result.ok && (
            <Alert variant="destructive">
              <AlertDescription>{result.error}</AlertDescription>
            </Alert>
          )}
          {data && <PreviewTables preview={data} />}
          {data && data.counts.newModels > 0 && (
            <div className="flex items-center gap-2">
              <Switch id="litellm-add-models" checked={addNewModels} onCheckedChange={setAddNewModels} />
              <Label htmlFor="litellm-add-models">Also add the {data.counts.newModels} models not in the catalog, disabled</Label>
            </div>
          )}
        </div>
        <DialogFooter>
          <Button type="button" variant="outline" onClick={() => setOpen(false)}>Cancel</Button>
          <Button type="button" onClick={confirm} disabled={!data || toAdd === 0 || pending || preview.isPending}>
            {pending ? "Importing…" : `Import ${toAdd} price${toAdd === 1 ? "" : "s"}`}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
