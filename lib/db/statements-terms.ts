import type { BillingTermsInput, ClientPriceInput } from "@/lib/schemas/statement";
import { isPlatformAdmin } from "./platform-admin";
import type { UserTx } from "./rls";
import { WriteRefusal } from "./write-refusal";

/**
 * Billing terms and the client price list, written as the signed-in user under RLS (platform
 * admins only pass; the audit trigger records each change). Drafts use the new terms at once;
 * closed statements keep the terms they were closed with.
 */

async function requirePlatformAdmin(tx: UserTx): Promise<void> {
  if (!(await isPlatformAdmin(tx))) throw new WriteRefusal("Only platform administrators change billing terms and client prices.");
}

export async function saveBillingTerms(tx: UserTx, input: BillingTermsInput): Promise<void> {
  await requirePlatformAdmin(tx);
  await tx
    .insertInto("billing_terms")
    .values({ organization_id: input.organizationId, billing_currency: input.billingCurrency, markup_pct: input.markupPct })
    .onConflict((oc) => oc.column("organization_id").doUpdateSet({ billing_currency: input.billingCurrency, markup_pct: input.markupPct }))
    .execute();
}

export async function addClientPrice(tx: UserTx, input: ClientPriceInput): Promise<{ id: string }> {
  await requirePlatformAdmin(tx);
  const existing = await tx
    .selectFrom("client_prices")
    .select("id")
    .where("organization_id", "=", input.organizationId)
    .where("model_id", "=", input.modelId)
    .where("effective_from", "=", input.effectiveFrom)
    .executeTakeFirst();
  if (existing) throw new WriteRefusal("This model already has a client price from that date.", { effectiveFrom: ["Choose another date."] });
  return tx
    .insertInto("client_prices")
    .values({
      organization_id: input.organizationId,
      model_id: input.modelId,
      input_per_mtok: input.inputPerMtok,
      output_per_mtok: input.outputPerMtok,
      cached_input_per_mtok: input.cachedInputPerMtok,
      cache_write_per_mtok: input.cacheWritePerMtok,
      cache_write_1h_per_mtok: input.cacheWrite1hPerMtok,
      currency: input.currency,
      effective_from: input.effectiveFrom,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function deleteClientPrice(tx: UserTx, organizationId: string, id: string): Promise<void> {
  await requirePlatformAdmin(tx);
  const result = await tx.deleteFrom("client_prices").where("id", "=", id).where("organization_id", "=", organizationId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new WriteRefusal("That client price no longer exists.");
}
