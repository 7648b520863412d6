"use client";

import { UserPlus } from "lucide-react";
import { FormDialog } from "@/components/forms/form-dialog";
import { useFormDialog } from "@/components/forms/use-form-dialog";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { addMemberAction } from "@/lib/actions/members/add-member";
import { addMemberSchema, MEMBERSHIP_ROLES, type AddMemberFormValues } from "@/lib/schemas/membership";
import { ROLE_LABELS } from "./role-labels";

const PLATFORM = "__platform";

interface AddMemberDialogProps {
  /** Organizations the user may add members to (all they see, for platform admins). */
  organizations: { id: string; name: string }[];
  isPlatformAdmin: boolean;
  defaultOrganizationId?: string;
}

export function AddMemberDialog({ organizations, isPlatformAdmin, defaultOrganizationId }: AddMemberDialogProps) {
  const initial = (): AddMemberFormValues => ({
    email: "",
    organizationId: organizations.find((o) => o.id === defaultOrganizationId)?.id ?? organizations[0]?.id ?? null,
    role: "viewer",
  });
  const { open, setOpen, values, set, err, pending, submit } = useFormDialog({
    schema: addMemberSchema,
    initial,
    action: addMemberAction,
    success: (_data, input) => {
      const where = input.organizationId === null ? "platform-wide" : (organizations.find((o) => o.id === input.organizationId)?.name ?? "the organization");
      return `${input.email} added as ${ROLE_LABELS[input.role].label.toLowerCase()} (${where}).`;
    },
  });
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button size="sm"><UserPlus /> Add member</Button>}
      title="Add member"
      description="Give an existing user a role. They must have signed in once, or have been created by a platform admin."
      className="sm:max-w-lg"
      onSubmit={submit}
      pending={pending}
      submitLabel="Add member"
      pendingLabel="Adding…"
    >
      <Field id="member-email" label="Email" errors={err("email")}>
        <Input
          id="member-email"
          type="email"
          autoComplete="off"
          value={values.email ?? ""}
          onChange={(e) => set({ email: e.target.value })}
          aria-invalid={Boolean(err("email"))}
          aria-describedby={err("email") ? "member-email-error" : undefined}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="member-org" label="Organization" errors={err("organizationId")}>
          <Select value={values.organizationId ?? PLATFORM} onValueChange={(v) => set({ organizationId: v === PLATFORM ? null : v })}>
            <SelectTrigger id="member-org" className="w-full" aria-invalid={Boolean(err("organizationId"))}><SelectValue /></SelectTrigger>
            <SelectContent>
              {isPlatformAdmin && <SelectItem value={PLATFORM}>Platform-wide (every organization)</SelectItem>}
              {organizations.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}
            </SelectContent>
          </Select>
        </Field>
        <Field id="member-role" label="Role" hint={values.role ? ROLE_LABELS[values.role].hint : undefined} errors={err("role")}>
          <Select value={values.role} onValueChange={(v) => set({ role: v as AddMemberFormValues["role"] })}>
            <SelectTrigger id="member-role" className="w-full" aria-invalid={Boolean(err("role"))}><SelectValue /></SelectTrigger>
            <SelectContent>{MEMBERSHIP_ROLES.map((r) => <SelectItem key={r} value={r}>{ROLE_LABELS[r].label}</SelectItem>)}</SelectContent>
          </Select>
        </Field>
      </div>
      {values.organizationId === null && values.role === "admin" && (
        <p className="text-xs text-muted-foreground">A platform-wide admin manages every organization, the catalog, providers and members.</p>
      )}
      {err("_")?.map((e) => <p key={e} role="alert" className="text-sm text-destructive">{e}</p>)}
    </FormDialog>
  );
}
