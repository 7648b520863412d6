import { formatUtc } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MemberRow } from "@/lib/db/members";
import { MemberRoleSelect } from "./member-role-select";
import { RemoveMemberButton } from "./remove-member-button";
import { ROLE_LABELS, scopeName } from "./role-labels";

interface MembersTableProps {
  members: MemberRow[];
  currentUserId: string;
  isPlatformAdmin: boolean;
  /** Organizations the viewer administers: their rows get controls (the database decides anyway). */
  adminOrganizationIds: string[];
}

export function MembersTable({ members, currentUserId, isPlatformAdmin, adminOrganizationIds }: MembersTableProps) {
  const administers = new Set(adminOrganizationIds);
  return (
    <div className="overflow-x-auto">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Email</TableHead>
            <TableHead>Organization</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Added</TableHead>
            <TableHead><span className="sr-only">Actions</span></TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.map((m) => {
            const email = m.email ?? "(profile not visible)";
            const scope = scopeName(m.organizationName);
            const manageable = isPlatformAdmin || (m.organizationId !== null && administers.has(m.organizationId));
            return (
              <TableRow key={m.id} data-member={`${email} ${scope}`}>
                <TableCell>
                  <div className="font-medium">{email}</div>
                  {(m.displayName || m.userId === currentUserId) && (
                    <div className="text-xs text-muted-foreground">
                      {m.displayName}
                      {m.displayName && m.userId === currentUserId && " · "}
                      {m.userId === currentUserId && "you"}
                    </div>
                  )}
                </TableCell>
                <TableCell>{m.organizationId === null ? <Badge variant="secondary">Platform</Badge> : scope}</TableCell>
                <TableCell>
                  {manageable ? <MemberRoleSelect id={m.id} role={m.role} email={email} scope={scope} /> : <Badge variant="outline">{ROLE_LABELS[m.role].label}</Badge>}
                </TableCell>
                <TableCell className="text-xs whitespace-nowrap">{formatUtc(m.createdAt)}</TableCell>
                <TableCell className="text-right">{manageable && <RemoveMemberButton id={m.id} email={email} scope={scope} />}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
