import Link from "next/link";
import { Building, Globe } from "lucide-react";
import type { Membership } from "@/lib/db/sessions";
import { membershipLabel, roleName, sortMemberships } from "@/components/dashboard/membership-label";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

const ROLE_SCOPE: Record<Membership["role"], string> = {
  admin: "Reads dashboards and changes configuration",
  finance: "Reads cost, usage and feedback dashboards",
  viewer: "Reads dashboards",
};

/** The organizations the signed-in user belongs to and the role in each. */
export function MembershipList({ memberships }: { memberships: readonly Membership[] }) {
  const sorted = sortMemberships(memberships);
  return (
    <Card>
      <CardHeader>
        <h2 className="leading-none font-semibold">Your access</h2>
        <CardDescription>
          Organizations you belong to. Every figure on these pages is limited to them by the database.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {sorted.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            You are not a member of any organization yet. Ask an administrator to add you.
          </p>
        ) : (
          <ul className="divide-y">
            {sorted.map((m) => {
              const Icon = m.organizationId === null ? Globe : Building;
              return (
                <li key={`${m.organizationId ?? "platform"}:${m.role}`} className="flex items-center gap-3 py-3">
                  <span className="flex size-9 shrink-0 items-center justify-center rounded-md bg-muted">
                    <Icon className="size-4 text-muted-foreground" aria-hidden />
                  </span>
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-sm font-medium">
                      {m.organizationId === null ? (
                        "All organizations"
                      ) : (
                        <Link href={`/organizations/${m.organizationId}`} className="underline-offset-4 hover:underline">
                          {m.organizationName}
                        </Link>
                      )}
                    </p>
                    <p className="text-xs text-muted-foreground">
                      {m.organizationId === null ? "Platform-wide. " : ""}
                      {ROLE_SCOPE[m.role]}
                    </p>
                  </div>
                  <Badge variant="secondary" title={membershipLabel(m)}>
                    {roleName(m.role)}
                  </Badge>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
