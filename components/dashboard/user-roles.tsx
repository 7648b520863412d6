import type { Membership } from "@/lib/db/sessions";
import { Badge } from "@/components/ui/badge";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { cn } from "@/lib/utils";
import { membershipLabel, sortMemberships } from "./membership-label";

interface UserRolesProps {
  memberships: readonly Membership[];
  /** How many badges to show before folding the rest into a "+N" badge. */
  max?: number;
  className?: string;
}

export function UserRoles({ memberships, max = 2, className }: UserRolesProps) {
  if (memberships.length === 0) {
    return (
      <Badge variant="outline" className={cn("text-muted-foreground", className)}>
        No organization
      </Badge>
    );
  }
  const labels = sortMemberships(memberships).map(membershipLabel);
  const shown = labels.length > max ? labels.slice(0, max - 1) : labels;
  const hidden = labels.slice(shown.length);

  return (
    <ul aria-label="Your roles" className={cn("flex flex-wrap items-center gap-1.5", className)}>
      {shown.map((label) => (
        <li key={label}>
          <Badge variant="secondary">{label}</Badge>
        </li>
      ))}
      {hidden.length > 0 && (
        <li>
          <Tooltip>
            <TooltipTrigger asChild>
              <Badge variant="outline" tabIndex={0} className="cursor-default">
                +{hidden.length} more
                <span className="sr-only">: {hidden.join(", ")}</span>
              </Badge>
            </TooltipTrigger>
            <TooltipContent>
              <ul>
                {hidden.map((label) => (
                  <li key={label}>{label}</li>
                ))}
              </ul>
            </TooltipContent>
          </Tooltip>
        </li>
      )}
    </ul>
  );
}
