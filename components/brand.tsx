import { cn } from "@/lib/utils";

/** Product mark and name; decorative mark, the name carries the meaning. */
export function Brand({ className }: { className?: string }) {
  return (
    <span className={cn("flex items-center gap-2 font-semibold tracking-tight", className)}>
      <svg viewBox="0 0 32 32" className="size-6 shrink-0" aria-hidden>
        <rect width="32" height="32" rx="7" className="fill-primary" />
        <path
          d="M9 10h14M9 16h9M9 22h14"
          className="stroke-primary-foreground"
          strokeWidth="2.5"
          strokeLinecap="round"
        />
        <circle cx="22" cy="16" r="2.5" className="fill-chart-1" />
      </svg>
      <span>LLM Control Plane</span>
    </span>
  );
}
