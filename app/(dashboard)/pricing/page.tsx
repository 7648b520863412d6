import type { Metadata } from "next";
import { FileUp, Plus } from "lucide-react";
import { PageHeader } from "@/components/dashboard/page-header";
import { AddModelDialog } from "@/components/pricing/add-model-dialog";
import { AddPriceDialog } from "@/components/pricing/add-price-dialog";
import { LitellmImportDialog } from "@/components/pricing/litellm-import-dialog";
import { PricingTable } from "@/components/pricing/pricing-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadPricingPage } from "@/lib/db/pricing";
import { getNavItem } from "@/lib/auth/navigation";

const item = getNavItem("/pricing");

export const metadata: Metadata = { title: item.title, description: item.description };

export default async function PricingPage({ searchParams }: { searchParams: Promise<{ model?: string | string[] }> }) {
  const user = await requireSessionUser();
  const { model } = await searchParams;
  const data = await loadPricingPage(await getDb(), user.claims);
  // ?model=<code> (from the completeness page's "add price" link) preselects that model.
  const wanted = typeof model === "string" ? data.models.find((m) => m.modelCode === model) : undefined;
  // Only decides which controls to show; RLS lets platform admins alone write prices and models.
  const canWrite = user.isPlatformAdmin;
  const unpriced = data.models.filter((m) => m.prices.length === 0).length;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={item.title}
        description={item.description}
        badge={canWrite ? undefined : <Badge variant="outline">Read-only</Badge>}
        actions={
          canWrite && (
            // Wraps on a phone: the three buttons are wider than 390 px, and "Add price" was cut off.
            <div className="flex flex-wrap items-center gap-2">
              <LitellmImportDialog trigger={<Button variant="outline" size="sm"><FileUp /> Import LiteLLM prices</Button>} />
              <AddModelDialog providers={data.providers} trigger={<Button variant="outline" size="sm"><Plus /> Add model</Button>} />
              <AddPriceDialog
                key={wanted?.id ?? "none"}
                models={data.models}
                initialModelId={wanted?.id}
                trigger={<Button size="sm"><Plus /> Add price</Button>}
              />
            </div>
          )
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>Models and prices</CardTitle>
          <CardDescription>
            {data.models.length} model{data.models.length === 1 ? "" : "s"}; prices per million tokens as in force now.
            {unpriced > 0 && ` ${unpriced} without a price in the database (priced from the built-in fallback table).`} Expand a model for its
            full history.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {data.models.length === 0 ? (
            <p className="py-8 text-center text-sm text-muted-foreground">No models yet{canWrite ? ": add one with “Add model”." : "."}</p>
          ) : (
            <PricingTable models={data.models} expandedModelId={wanted?.id} canWrite={canWrite} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
