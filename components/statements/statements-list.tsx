import Link from "next/link";
import { TableCard } from "@/components/dashboard/table-card";
import { formatMonth, formatUtc } from "@/components/format";
import { Card, CardContent } from "@/components/ui/card";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { StatementListOrganization } from "@/lib/db/statements";
import { statementHref } from "@/lib/schemas/statement";
import { StatementStatus } from "./statement-status";

/** One table per client organization: its months, draft or closed, who closed each and when. */
export function StatementsList({ organizations }: { organizations: StatementListOrganization[] }) {
  if (organizations.length === 0) {
    return (
      <Card>
        <CardContent className="py-8 text-center text-sm text-muted-foreground">
          No organization whose statements you may read. Finance members and administrators of an organization see its statements.
        </CardContent>
      </Card>
    );
  }
  return (
    <div className="flex flex-col gap-6">
      {organizations.map((org) => (
        <TableCard
          key={org.id}
          title={<>{org.name}</>}
          description={
            <>
              Billed in {org.billingCurrency}, markup {org.markupPct} % (a client price list overrides it per model); months in {org.timeZone}.
            </>
          }
          isEmpty={org.months.length === 0}
          emptyText="No months yet."
          tableProps={{ "aria-label": `Statements of ${org.name}` }}
        >
          <TableHeader>
            <TableRow>
              <TableHead>Month</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Closed</TableHead>
              <TableHead><span className="sr-only">Open</span></TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {org.months.map((m) => (
              <TableRow key={m.month} data-month={m.month}>
                <TableCell className="font-medium tabular-nums">{formatMonth(m.month)}</TableCell>
                <TableCell><StatementStatus status={m.status} /></TableCell>
                <TableCell className="text-xs text-muted-foreground">
                  {m.closedAt ? <>{formatUtc(m.closedAt)} by {m.closedByEmail ?? "unknown"}</> : m.reopenedAt ? <>Reopened {formatUtc(m.reopenedAt)}: {m.reopenReason}</> : "—"}
                </TableCell>
                <TableCell className="text-right">
                  <Link className="text-sm font-medium underline underline-offset-4" href={statementHref(org.id, m.month)}>
                    Statement {formatMonth(m.month)}<span className="sr-only"> of {org.name}</span>
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </TableCard>
      ))}
    </div>
  );
}
