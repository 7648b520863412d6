"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { changeMemberRoleAction } from "@/lib/actions/members/change-member-role";
import { MEMBERSHIP_ROLES, type MembershipRoleInput } from "@/lib/schemas/membership";
import { ROLE_LABELS } from "./role-labels";

/** Changes a role in place; a refusal (e.g. the last platform admin) is shown under the control. */
export function MemberRoleSelect({ id, role, email, scope }: { id: string; role: MembershipRoleInput; email: string; scope: string }) {
  const router = useRouter();
  const [value, setValue] = useState(role);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errorId = `role-${id}-error`;

  function change(next: string) {
    const nextRole = next as MembershipRoleInput;
    if (nextRole === value) return;
    const previous = value;
    setValue(nextRole);
    setError(null);
    startTransition(async () => {
      const result = await changeMemberRoleAction({ id, role: nextRole });
      if (!result.ok) {
        setValue(previous);
        setError(result.fieldErrors?.role?.[0] ?? result.error);
        toast.error(result.error);
        return;
      }
      toast.success(`${email} is now ${ROLE_LABELS[nextRole].label.toLowerCase()} (${scope}).`);
      router.refresh();
    });
  }

  return (
    <div className="grid max-w-64 gap-1">
      <Select value={value} onValueChange={change} disabled={pending}>
        <SelectTrigger size="sm" className="w-32" aria-label={`Role of ${email} (${scope})`} aria-invalid={Boolean(error)} aria-describedby={error ? errorId : undefined}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {MEMBERSHIP_ROLES.map((r) => <SelectItem key={r} value={r}>{ROLE_LABELS[r].label}</SelectItem>)}
        </SelectContent>
      </Select>
      {error && <p id={errorId} role="alert" className="text-xs text-destructive">{error}</p>}
    </div>
  );
}
