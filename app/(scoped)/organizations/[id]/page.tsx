import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { PageHeader } from "@/components/dashboard/page-header";
import { organizationCallsHref } from "@/components/organizations/organization-calls";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import { loadOrganizationHeader } from "@/lib/db/organization-page";
import { CallsSection, FeedbackSection, KeysSection, RulesSection, SectionSkeleton, SpendSection } from "./sections";

export const metadata: Metadata = {
  title: "Organization",
  description: "One client organization: spend against budget, trend, the routing in force, its API keys, recent calls and feedback.",
};

/**
 * /organizations/[id]: one client on one page. Access is decided first, in the shell (outside any
 * loading boundary, see app/(scoped)/layout.tsx): a user who is not a member of the organization
 * gets the access-denied page with HTTP 403 (forbidden()), a platform admin asking for an id that
 * does not exist gets 404. Row-level security is what decides: the header loader returns null for
 * an organization the user may not read.
 */
export default async function OrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireSessionUser();
  if (!z.guid().safeParse(id).success) notFound();
  const org = await loadOrganizationHeader(await getDb(), user.claims, id);
  if (!org) {
    // Only a platform admin can tell "does not exist" from "not yours"; everyone else gets 403 for both.
    if (user.isPlatformAdmin) notFound();
    forbidden();
  }
  const canReadKeys = user.isPlatformAdmin || user.memberships.some((m) => m.organizationId === id && m.role === "admin");
  const section = { user, organizationId: id };

  return (
    <div className="flex min-w-0 flex-col gap-6">
      <PageHeader
        title={org.name}
        badge={<Badge variant={org.tier === "premium" ? "default" : "outline"}>{org.tier}</Badge>}
        description={
          <>
            <span className="font-mono">{org.slug}</span> · spend against budget, the routing in force, API keys, recent calls and feedback
            for this client.
          </>
        }
        actions={
          <Button asChild variant="outline" size="sm">
            <Link href={organizationCallsHref(id)}>View calls</Link>
          </Button>
        }
      />
      <Suspense fallback={<SectionSkeleton label="spend and budget" height="h-56" />}>
        <SpendSection {...section} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton label="models and rules in force" />}>
        <RulesSection {...section} organizationName={org.name} />
      </Suspense>
      <div className="grid min-w-0 gap-6 xl:grid-cols-2">
        <Suspense fallback={<SectionSkeleton label="API keys" />}>
          <KeysSection {...section} canRead={canReadKeys} />
        </Suspense>
        <Suspense fallback={<SectionSkeleton label="feedback" />}>
          <FeedbackSection {...section} />
        </Suspense>
      </div>
      <Suspense fallback={<SectionSkeleton label="recent calls" />}>
        <CallsSection {...section} />
      </Suspense>
    </div>
  );
}
