import Link from "next/link";
import { BookOpen } from "lucide-react";
import type { SessionUser } from "@/lib/db/sessions";
import { signOutAction } from "@/lib/actions/auth/sign-out";
import { Brand } from "@/components/brand";
import { Button } from "@/components/ui/button";
import { ThemeToggle } from "@/components/theme-toggle";
import { Separator } from "@/components/ui/separator";
import { MobileNav } from "./mobile-nav";
import { SignOutButton } from "./sign-out-button";
import { UserRoles } from "./user-roles";

interface SiteHeaderProps {
  user: SessionUser;
  visibleHrefs: readonly string[];
}

export function SiteHeader({ user, visibleHrefs }: SiteHeaderProps) {
  return (
    <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80 md:px-6">
      <MobileNav
        visibleHrefs={visibleHrefs}
        footer={
          <div className="flex flex-col gap-2">
            <p className="truncate text-sm text-muted-foreground">{user.email}</p>
            <UserRoles memberships={user.memberships} max={4} />
          </div>
        }
      />
      <Brand className="text-sm md:hidden" />
      <div className="ml-auto flex min-w-0 items-center gap-3">
        <UserRoles memberships={user.memberships} className="hidden flex-nowrap lg:flex" />
        <span className="hidden max-w-64 truncate text-sm text-muted-foreground sm:block" title={user.email}>
          {user.email}
        </span>
        <Separator orientation="vertical" className="hidden data-[orientation=vertical]:h-6 sm:block" />
        <Button asChild variant="ghost" size="icon" title="API reference">
          <Link href="/docs" aria-label="API reference">
            <BookOpen className="size-4" aria-hidden />
          </Link>
        </Button>
        <ThemeToggle />
        <form action={signOutAction}>
          <SignOutButton />
        </form>
      </div>
    </header>
  );
}
