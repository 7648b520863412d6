import type { ReactNode } from "react";
import { OrganizationCallsTable } from "@/components/organizations/organization-calls";
import { OrganizationFeedbackTable } from "@/components/organizations/organization-feedback";
import { OrganizationKeysTable } from "@/components/organizations/organization-keys";
import { OrganizationRulesTable } from "@/components/organizations/organization-rules";
import { OrganizationSpendCard, OrganizationTrendCard } from "@/components/organizations/organization-spend";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { SessionUser } from "@/lib/db/sessions";
import { getDb } from "@/lib/db/instance";
import {
  loadOrganizationFeedback,
  loadOrganizationKeys,
  loadOrganizationRecentCalls,
  loadOrganizationRouting,
  loadOrganizationSpend,
} from "@/lib/db/organization-page";
import { errorMessage } from "@/lib/errors";

/**
 * The organization page's sections: each loads its own data under RLS and streams into its own
 * <Suspense> skeleton, and a section that fails says so in place while the others still show.
 */

interface SectionProps {
  user: SessionUser;
  organizationId: string;
}

async function settle<T>(title: string, load: () => Promise<T>, render: (data: T) => ReactNode): Promise<ReactNode> {
  let data: T;
  try {
    data = await load();
  } catch (err) {
    return (
      <Alert variant="destructive" role="alert">
        <AlertTitle>{title} could not be loaded</AlertTitle>
        <AlertDescription>{errorMessage(err)} Reload the page to try again.</AlertDescription>
      </Alert>
    );
  }
  return render(data);
}

export function SectionSkeleton({ label, height = "h-48" }: { label: string; height?: string }) {
  return (
    <div aria-busy="true" className="flex flex-col gap-3 rounded-xl border p-6">
      <span className="sr-only" role="status">
        Loading {label}…
      </span>
      <Skeleton className="h-5 w-40" />
      <Skeleton className={`${height} w-full`} />
    </div>
  );
}

export async function SpendSection({ user, organizationId }: SectionProps) {
  return settle(
    "Spend and budget",
    async () => loadOrganizationSpend(await getDb(), user.claims, organizationId),
    (spend) => (
      <div className="grid min-w-0 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <OrganizationSpendCard spend={spend} organizationId={organizationId} />
        <OrganizationTrendCard spend={spend} />
      </div>
    ),
  );
}

export async function RulesSection({ user, organizationId, organizationName }: SectionProps & { organizationName: string }) {
  return settle(
    "Models and rules in force",
    async () => loadOrganizationRouting(await getDb(), user.claims, organizationId),
    (rules) => <OrganizationRulesTable rules={rules} organizationName={organizationName} />,
  );
}

export async function KeysSection({ user, organizationId, canRead }: SectionProps & { canRead: boolean }) {
  return settle(
    "API keys",
    async () => (canRead ? loadOrganizationKeys(await getDb(), user.claims, organizationId) : []),
    (keys) => <OrganizationKeysTable keys={keys} canRead={canRead} />,
  );
}

export async function FeedbackSection({ user, organizationId }: SectionProps) {
  return settle(
    "Feedback",
    async () => loadOrganizationFeedback(await getDb(), user.claims, organizationId),
    (summary) => <OrganizationFeedbackTable summary={summary} organizationId={organizationId} />,
  );
}

export async function CallsSection({ user, organizationId }: SectionProps) {
  return settle(
    "Recent calls",
    async () => loadOrganizationRecentCalls(await getDb(), user.claims, organizationId),
    (calls) => <OrganizationCallsTable calls={calls} organizationId={organizationId} />,
  );
}
