import {
  Activity,
  Building2,
  CircleCheck,
  Coins,
  FileText,
  KeyRound,
  LayoutDashboard,
  MessageSquareText,
  PiggyBank,
  Route,
  ScrollText,
  Server,
  SlidersHorizontal,
  Tags,
  Users,
  Wallet,
  type LucideIcon,
} from "lucide-react";
import type { SessionUser } from "@/lib/db/sessions";

/**
 * The dashboard's pages and who may open each: the sidebar and the mobile menu list the pages a
 * user may see, and every restricted page checks `visibleTo` on the server again before it reads
 * anything (its title and description come from here too). Kept under lib/auth because the access
 * rule is what matters; the icons and texts ride along so a page is declared in one place.
 */

/** What a visibility rule may look at; a subset of SessionUser so rules stay easy to test. */
export type NavViewer = Pick<SessionUser, "isPlatformAdmin" | "memberships">;

export type NavSection = "Analytics" | "Configuration" | "Administration";

export interface NavItem {
  href: string;
  title: string;
  section: NavSection;
  icon: LucideIcon;
  /** What the page does, shown on the page itself (and as its metadata description). */
  description: string;
  visibleTo: (user: NavViewer) => boolean;
}

const everyone = (): boolean => true;

/** Admin of at least one organization, or a platform admin. */
export function isAnyAdmin(user: NavViewer): boolean {
  return user.isPlatformAdmin || user.memberships.some((m) => m.role === "admin");
}

/** Admin or finance member of at least one organization, or platform-wide. */
export function isAdminOrFinance(user: NavViewer): boolean {
  return user.isPlatformAdmin || user.memberships.some((m) => m.role === "admin" || m.role === "finance");
}

export function isPlatformAdmin(user: NavViewer): boolean {
  return user.isPlatformAdmin;
}

/*
 * Hiding a link is a convenience, not the access control: restricted pages check the role on the
 * server again, and every read and write runs under row-level security in Postgres.
 */
export const navItems: readonly NavItem[] = [
  {
    href: "/",
    title: "Overview",
    section: "Analytics",
    icon: LayoutDashboard,
    description:
      "Month-to-date spend against budget per organization, today's calls and error rate, record completeness, average feedback score, savings against each app's baseline model, recent budget alerts and 30-day trends at a glance, refreshed every 15 seconds.",
    visibleTo: everyone,
  },
  {
    href: "/costs",
    title: "Costs",
    section: "Analytics",
    icon: Coins,
    description:
      "Daily cost per organization, app, provider and model, read from the daily rollups, with savings against each app's baseline model and CSV export. Every amount is priced with the price row in force at the time of the call, and calls priced from the built-in fallback table are marked as such.",
    visibleTo: everyone,
  },
  {
    href: "/savings",
    title: "Savings",
    section: "Analytics",
    icon: PiggyBank,
    description:
      "Actual cost against what the same calls would have cost on each app's baseline model, per organization and month, with the calls compared and those without a baseline, a per-app breakdown and CSV export. Currencies are converted with the reporting rates or kept apart, never added.",
    visibleTo: everyone,
  },
  {
    href: "/completeness",
    title: "Completeness",
    section: "Analytics",
    icon: CircleCheck,
    description:
      "The share of recorded calls that are complete (organization, pipeline stage, request type, tokens and cost all present) per organization, app and pipeline stage, so gaps in the metadata the apps send show up before they distort the cost figures.",
    visibleTo: everyone,
  },
  {
    href: "/feedback",
    title: "Feedback",
    section: "Analytics",
    icon: MessageSquareText,
    description:
      "Quality scores (1 to 5) and correctness that the apps report per request, summarised per app, action type and query pattern. These scores retrain the learned routing overrides.",
    visibleTo: everyone,
  },
  {
    href: "/calls",
    title: "Calls",
    section: "Analytics",
    icon: Activity,
    description:
      "Every recorded call attempt: request ID, app, organization, action type and pipeline stage, provider and model, tokens, cost and its pricing source, latency, status, routing source and whether the record is complete. Prompts and completions are not stored unless a setting turns that on.",
    visibleTo: everyone,
  },
  {
    href: "/routing",
    title: "Routing",
    section: "Configuration",
    icon: Route,
    description:
      "Which provider and model each app uses per action type and client organization, by priority, with ordered fallback models, plus the learned overrides that feedback produces (with confidence, sample counts and a dry-run retrain). A route simulator shows the decision trace for a request. Changes reach the gateway within a second, without a deployment.",
    visibleTo: everyone,
  },
  {
    href: "/settings",
    title: "Settings",
    section: "Configuration",
    icon: SlidersHorizontal,
    description:
      "Typed app configuration (float, integer, boolean, string or JSON, with bounds and a description) at global, app and organization scope: an organization's value beats the app's, which beats the global default. Budgets, feature flags and the routing kill switch live here.",
    visibleTo: everyone,
  },
  {
    href: "/pricing",
    title: "Pricing",
    section: "Configuration",
    icon: Tags,
    description:
      "Input, output and cached-input prices per million tokens for every model, kept as history: a change adds a row effective from a date, and each call is priced with the row in force at its time. Models without a price in the database fall back to the built-in table.",
    visibleTo: everyone,
  },
  {
    href: "/budgets",
    title: "Budgets",
    section: "Configuration",
    icon: Wallet,
    description:
      "Monthly budget, currency and policy (alert, block or downgrade) per organization, with month-to-date spend against the 80 % and 100 % lines, an optional webhook the alerts are sent to, and the alert history with its delivery status. Platform admins edit; organization admins and finance read their own.",
    visibleTo: isAdminOrFinance,
  },
  {
    href: "/statements",
    title: "Statements",
    section: "Configuration",
    icon: FileText,
    description:
      "Monthly statements per client organization: usage per app, model and action priced with the client's markup or price list, in its billing currency, with subtotals, adjustments for closed months, CSV, a print view and a FOCUS export. Platform admins close and reopen months; finance and organization admins read their own.",
    visibleTo: isAdminOrFinance,
  },
  {
    href: "/providers",
    title: "Providers",
    section: "Configuration",
    icon: Server,
    description:
      "The LLM providers the gateway can call (OpenAI, Anthropic, Mistral, Google, OpenRouter, OpenAI-compatible servers and a mock), with base URL, timeout, enabled state and their models. API keys never enter the database: a provider only names the environment variable that holds its key.",
    visibleTo: isPlatformAdmin,
  },
  {
    href: "/keys",
    title: "API keys",
    section: "Configuration",
    icon: KeyRound,
    description:
      "App keys for the gateway, optionally pinned to one organization, with scopes and a rate limit. A new key is shown once; only its prefix and a SHA-256 hash are stored. Last use is tracked and keys can be revoked.",
    visibleTo: isAnyAdmin,
  },
  {
    href: "/audit",
    title: "Audit",
    section: "Administration",
    icon: ScrollText,
    description:
      "Every configuration change (routing, settings, prices, providers, keys and members) with the actor and the values before and after, written by database triggers.",
    visibleTo: isAnyAdmin,
  },
  {
    href: "/members",
    title: "Members",
    section: "Administration",
    icon: Users,
    description:
      "Who may sign in to which organization and with which role: admin, finance or viewer. Platform-wide memberships cover every organization.",
    visibleTo: isAnyAdmin,
  },
  {
    href: "/organizations",
    title: "Organizations",
    section: "Administration",
    icon: Building2,
    description:
      "Client organizations and the apps that call the gateway: add a client, set an app's baseline model for the savings report and its legacy model for the kill switch.",
    visibleTo: isPlatformAdmin,
  },
];

export const navSections: readonly NavSection[] = ["Analytics", "Configuration", "Administration"];

export function getNavItem(href: string): NavItem {
  const item = navItems.find((i) => i.href === href);
  if (!item) throw new Error(`No navigation item for ${href}`);
  return item;
}

export function canView(user: NavViewer, href: string): boolean {
  return getNavItem(href).visibleTo(user);
}

/** True when `pathname` is the item's page or one of its sub-pages ("/" matches only itself). */
export function isActivePath(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
