import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AttemptCard } from "@/components/calls/attempt-card";
import { RequestFeedback, RoutingTrace } from "@/components/calls/request-extras";
import { PageHeader } from "@/components/dashboard/page-header";
import { Button } from "@/components/ui/button";
import { requireSessionUser } from "@/lib/auth/session";
import { getCallDetail } from "@/lib/db/calls";
import { getDb } from "@/lib/db/instance";

export const metadata: Metadata = { title: "Call" };

export default async function CallDetailPage({ params }: { params: Promise<{ requestId: string }> }) {
  const { requestId } = await params;
  if (!z.guid().safeParse(requestId).success) notFound();
  const user = await requireSessionUser();
  // Under RLS a request of another organization is simply absent: same 404 as a wrong id.
  const detail = await getCallDetail(await getDb(), user.claims, requestId);
  if (!detail) notFound();
  const first = detail.attempts[0];
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Request"
        description={
          <span className="font-mono text-xs">
            {requestId} · {first?.organizationName ?? "no organization"} · {first?.appCode ?? "—"} · {first?.actionType ?? "—"}
          </span>
        }
        actions={
          <Button asChild variant="outline" size="sm">
            <Link href="/calls">Back to calls</Link>
          </Button>
        }
      />
      <RoutingTrace steps={first?.trace ?? []} />
      {detail.attempts.map((a) => (
        <AttemptCard key={a.id} attempt={a} />
      ))}
      <RequestFeedback rows={detail.feedback} />
    </div>
  );
}
