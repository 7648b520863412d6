import Link from "next/link";
import type { MemberFilter } from "@/lib/schemas/membership";
import { cn } from "@/lib/utils";

/** Filter links (a view filter: row-level security has already limited the rows). */
export function MemberFilterNav({
  organizations,
  showPlatform,
  current,
}: {
  organizations: { id: string; name: string }[];
  showPlatform: boolean;
  current: MemberFilter;
}) {
  const options: { value: MemberFilter; label: string }[] = [
    { value: undefined, label: "All" },
    ...(showPlatform ? [{ value: "platform" as const, label: "Platform-wide" }] : []),
    ...organizations.map((o) => ({ value: o.id, label: o.name })),
  ];
  if (options.length <= 2 && !showPlatform) return null;
  return (
    <nav aria-label="Filter by organization" className="flex flex-wrap gap-2">
      {options.map((o) => (
        <Link
          key={o.value ?? "all"}
          href={o.value ? `/members?org=${o.value}` : "/members"}
          aria-current={o.value === current ? "page" : undefined}
          className={cn(
            "rounded-md border px-2.5 py-1 text-xs focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none",
            o.value === current ? "bg-primary text-primary-foreground" : "hover:bg-accent",
          )}
        >
          {o.label}
        </Link>
      ))}
    </nav>
  );
}
