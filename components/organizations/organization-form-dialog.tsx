"use client";

import { Pencil, Plus } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { saveOrganizationAction } from "@/lib/actions/organizations/save-organization";
import type { OrganizationRow } from "@/lib/db/organizations";
import { ORGANIZATION_TIERS, organizationFormSchema, type OrganizationFormValues } from "@/lib/schemas/organization";

const TIER_HINT: Record<(typeof ORGANIZATION_TIERS)[number], string> = {
  standard: "Standard",
  premium: "Premium (typically with its own routing overrides)",
  internal: "Internal (your own teams)",
};

/** Adds a client organization (no `organization`) or edits its name and tier. */
export function OrganizationFormDialog({ organization }: { organization?: OrganizationRow }) {
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: organizationFormSchema,
    initial: (): OrganizationFormValues =>
      organization
        ? { id: organization.id, slug: organization.slug, name: organization.name, tier: organization.tier as OrganizationFormValues["tier"] }
        : { slug: "", name: "", tier: "standard" },
    action: saveOrganizationAction,
    success: (data, input) => (data.created ? `Organization ${input.name} added.` : `Organization ${input.name} saved.`),
  });
  const idp = `org-${organization?.slug ?? "new"}`;
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        organization ? (
          <Button variant="ghost" size="icon" className="size-8" aria-label={`Edit organization ${organization.name}`}><Pencil /></Button>
        ) : (
          <Button size="sm"><Plus /> Add organization</Button>
        )
      }
      title={organization ? `Edit ${organization.name}` : "Add organization"}
      description={
        <>
          A client company. Apps name it by its slug (the <span className="font-mono">organization</span> field of a call), so the slug is fixed
          once created. Set its budget on the Budgets page and its members on the Members page.
        </>
      }
      className="sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel={organization ? "Save" : "Add organization"}
      pendingLabel="Saving…"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${idp}-name`} label="Name" errors={err("name")}>
          <Input id={`${idp}-name`} value={String(values.name ?? "")} onChange={(e) => set({ name: e.target.value })} aria-invalid={Boolean(err("name"))} />
        </Field>
        <Field id={`${idp}-slug`} label="Slug" hint={organization ? "Fixed once created" : "e.g. acme"} errors={err("slug")}>
          <Input id={`${idp}-slug`} className="font-mono" value={String(values.slug ?? "")} disabled={Boolean(organization)} onChange={(e) => set({ slug: e.target.value.toLowerCase() })} aria-invalid={Boolean(err("slug"))} />
        </Field>
      </div>
      <Field id={`${idp}-tier`} label="Tier" errors={err("tier")}>
        <Select value={String(values.tier)} onValueChange={(v) => set({ tier: v as OrganizationFormValues["tier"] })}>
          <SelectTrigger id={`${idp}-tier`} className="w-full"><SelectValue /></SelectTrigger>
          <SelectContent>{ORGANIZATION_TIERS.map((t) => <SelectItem key={t} value={t}>{TIER_HINT[t]}</SelectItem>)}</SelectContent>
        </Select>
      </Field>
    </FormDialog>
  );
}
