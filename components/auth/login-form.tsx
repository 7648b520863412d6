"use client";

import { useActionState } from "react";
import { CircleExclamationPoint, LoaderCircle } from "lucide-react";
import { signInAction, type SignInState } from "@/lib/actions/auth/sign-in";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

const initialState: SignInState = {};

export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(signInAction, initialState);
  const hasError = Boolean(state.error);

  return (
    <form action={formAction} className="grid gap-4">
      <input type="hidden" name="next" value={next} />
      {hasError && (
        <Alert variant="destructive" role="alert" id="sign-in-error">
          <CircleExclamationPoint aria-hidden />
          <AlertDescription>{state.error}</AlertDescription>
        </Alert>
      )}
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          // React resets the form after each action; the default value brings the typed email back.
          defaultValue={state.email ?? ""}
          aria-invalid={hasError || undefined}
          aria-describedby={hasError ? "sign-in-error" : undefined}
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={hasError || undefined}
          aria-describedby={hasError ? "sign-in-error" : undefined}
        />
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending && <LoaderCircle className="animate-spin" aria-hidden />}
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
