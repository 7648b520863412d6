"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { UserPlus } from "lucide-react";
import { toast } from "sonner";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
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
  const router = useRouter();
  const initial = (): AddMemberFormValues => ({
    email: "",
    organizationId: organizations.find((o) => o.id === defaultOrganizationId)?.id ?? organizations[0]?.id ?? null,
    role: "viewer",
  });
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<AddMemberFormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof AddMemberFormValues>(key: K, value: AddMemberFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setValues(initial());
      setErrors({});
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = addMemberSchema.safeParse(values);
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    startTransition(async () => {
      const result = await addMemberAction(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? { _: [result.error] });
        toast.error(result.error);
        return;
      }
      const where = parsed.data.organizationId === null ? "platform-wide" : (organizations.find((o) => o.id === parsed.data.organizationId)?.name ?? "the organization");
      toast.success(`${parsed.data.email} added as ${ROLE_LABELS[parsed.data.role].label.toLowerCase()} (${where}).`);
      setOpen(false);
      router.refresh();
    });
  }

  const err = (k: string) => errors[k];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm"><UserPlus /> Add member</Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Add member</DialogTitle>
          <DialogDescription>Give an existing user a role. They must have signed in once, or have been created by a platform admin.</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <Field id="member-email" label="Email" errors={err("email")}>
            <Input
              id="member-email"
              type="email"
              autoComplete="off"
              value={values.email ?? ""}
              onChange={(e) => set("email", e.target.value)}
              aria-invalid={Boolean(err("email"))}
              aria-describedby={err("email") ? "member-email-error" : undefined}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="member-org" label="Organization" errors={err("organizationId")}>
              <Select value={values.organizationId ?? PLATFORM} onValueChange={(v) => set("organizationId", v === PLATFORM ? null : v)}>
                <SelectTrigger id="member-org" className="w-full" aria-invalid={Boolean(err("organizationId"))}><SelectValue /></SelectTrigger>
                <SelectContent>
                  {isPlatformAdmin && <SelectItem value={PLATFORM}>Platform-wide (every organization)</SelectItem>}
                  {organizations.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}
                </SelectContent>
              </Select>
            </Field>
            <Field id="member-role" label="Role" hint={values.role ? ROLE_LABELS[values.role].hint : undefined} errors={err("role")}>
              <Select value={values.role} onValueChange={(v) => set("role", v as AddMemberFormValues["role"])}>
                <SelectTrigger id="member-role" className="w-full" aria-invalid={Boolean(err("role"))}><SelectValue /></SelectTrigger>
                <SelectContent>{MEMBERSHIP_ROLES.map((r) => <SelectItem key={r} value={r}>{ROLE_LABELS[r].label}</SelectItem>)}</SelectContent>
              </Select>
            </Field>
          </div>
          {values.organizationId === null && values.role === "admin" && (
            <p className="text-xs text-muted-foreground">A platform-wide admin manages every organization, the catalog, providers and members.</p>
          )}
          {err("_")?.map((e) => <p key={e} role="alert" className="text-sm text-destructive">{e}</p>)}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Adding…" : "Add member"}</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
