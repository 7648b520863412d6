"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { UserRoundPlus } from "lucide-react";
import { toast } from "sonner";
import { OneTimeSecret } from "@/components/dashboard/one-time-secret";
import { issuesToFieldErrors } from "@/components/pricing/field-errors";
import { Field } from "@/components/routing/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { createLocalUserAction } from "@/lib/actions/members/create-local-user";
import { createLocalUserSchema } from "@/lib/schemas/membership";

/** Platform admins, local auth only: a new sign-in with a generated password, shown once. */
export function CreateUserDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Forget the password as soon as the dialog closes: it exists only while shown.
    setCreated(null);
    if (next) {
      setEmail("");
      setErrors({});
    } else router.refresh();
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = createLocalUserSchema.safeParse({ email });
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    startTransition(async () => {
      const result = await createLocalUserAction(parsed.data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? { _: [result.error] });
        toast.error(result.error);
        return;
      }
      toast.success(`User ${result.data.email} created.`);
      setCreated({ email: result.data.email, password: result.data.password });
    });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline"><UserRoundPlus /> Create user</Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{created ? "User created" : "Create user"}</DialogTitle>
          <DialogDescription>
            {created
              ? `Give ${created.email} this password over a safe channel, then add them to an organization with “Add member”.`
              : "A local sign-in (email and password). A password is generated and shown once; the user has no role until you add them as a member."}
          </DialogDescription>
        </DialogHeader>
        {created ? (
          <>
            <OneTimeSecret
              noun="password"
              value={created.password}
              testId="new-user-password"
              storage="Only a bcrypt hash is stored. If it is lost, there is no way to read it back."
              context={<p className="text-sm">Account: <span className="font-mono">{created.email}</span></p>}
            />
            <DialogFooter>
              <Button type="button" onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <Field id="new-user-email" label="Email" errors={errors.email}>
              <Input
                id="new-user-email"
                type="email"
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-invalid={Boolean(errors.email)}
                aria-describedby={errors.email ? "new-user-email-error" : undefined}
              />
            </Field>
            {errors._?.map((e) => <p key={e} role="alert" className="text-sm text-destructive">{e}</p>)}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>Cancel</Button>
              <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create user"}</Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
