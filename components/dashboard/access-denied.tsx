import Link from "next/link";
import { Lock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";

/**
 * Shown instead of a page the user's role does not allow (the 403 case). The check that leads
 * here runs on the server; row-level security would refuse the data in any case.
 */
interface AccessDeniedProps {
  /** The page's name, e.g. "Providers". */
  area: string;
  /** Who may open it, e.g. "platform administrators". */
  allowed: string;
}

export function AccessDenied({ area, allowed }: AccessDeniedProps) {
  return (
    <div className="flex justify-center py-12">
      <Card className="w-full max-w-md text-center">
        <CardHeader className="justify-items-center gap-3">
          <span className="flex size-12 items-center justify-center rounded-full bg-muted">
            <Lock className="size-5 text-muted-foreground" aria-hidden />
          </span>
          <h1 className="text-xl font-semibold tracking-tight">You don&apos;t have access to this page</h1>
          <CardDescription>
            {area} is available to {allowed} only. If you need it, ask an administrator of your organization to
            change your role.
          </CardDescription>
        </CardHeader>
        <CardContent className="text-xs text-muted-foreground">Error 403 · Forbidden</CardContent>
        <CardFooter className="justify-center">
          <Button asChild variant="outline">
            <Link href="/">Back to the overview</Link>
          </Button>
        </CardFooter>
      </Card>
    </div>
  );
}
