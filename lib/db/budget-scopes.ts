import { Decimal } from "decimal.js";
import { sumInBudgetCurrency } from "@/lib/engine/budget";
import { scopeOf, windowAt, type BudgetScope, type BudgetWindow } from "@/lib/engine/budget-scope";
import type { ScopedBudgetInput } from "@/lib/schemas/budget-scope";
import type { BudgetPolicy } from "@/lib/schemas/budget";
import { organizationFigures } from "./budget-forecast";
import { windowSpend } from "./budget-spend";
import { loadReportingCurrency } from "./currency";
import type { Kysely } from "kysely";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { timeZoneFor } from "./time-zone";
import { WriteRefusal } from "./write-refusal";

/**
 * Every budget (organization, organization × app, API key; monthly and daily) for the Budgets
 * page under the signed-in user's RLS: spend in the budget's current window (days and months of
 * the organization's reporting time zone, all currencies converted into the budget's with
 * reporting.fx_rates, exactly what the gateway reserves against), the month-end forecast per
 * organization beside its monthly budget, and the choices the form offers. Writes: platform
 * admins only (RLS on budgets); the organization × month budget is mirrored into organizations.
 */

export interface ScopedBudgetRow {
  id: string;
  organizationId: string;
  organizationName: string;
  scope: BudgetScope;
  appId: string | null;
  apiKeyId: string | null;
  /** "Whole organization", the app's name, or the key's name (its id's start when the user may not read keys). */
  target: string;
  window: BudgetWindow;
  /** First day of the current window (zone). */
  windowStart: string;
  amount: string;
  currency: string;
  policy: BudgetPolicy;
  /** Spend in the current window in `currency`; null when some of it has no rate (listed in `unconvertible`). */
  spent: string | null;
  unconvertible: string[];
  pct: string | null;
  over: boolean;
}

export interface ForecastFigure {
  organizationId: string;
  /** Month-end forecast in `currency`, to 6 decimals; null when some spend has no rate. */
  monthEnd: string | null;
  currency: string;
  budget: string;
  over: boolean;
  unconvertible: string[];
}

export interface ScopedBudgetsData {
  budgets: ScopedBudgetRow[];
  forecasts: ForecastFigure[];
  options: {
    organizations: { id: string; name: string }[];
    apps: { id: string; name: string }[];
    keys: { id: string; name: string; organizationId: string | null }[];
  };
}

export async function loadScopedBudgets(tx: UserTx, now = new Date()): Promise<ScopedBudgetsData> {
  const fx = await loadReportingCurrency(tx);
  const [rows, organizations, apps, keys] = await Promise.all([
    tx.selectFrom("budgets as b").innerJoin("organizations as o", "o.id", "b.organization_id")
      .select(["b.id", "b.organization_id", "o.name as org_name", "b.app_id", "b.api_key_id", "b.period", "b.amount", "b.currency", "b.policy"])
      .orderBy("o.name").orderBy("b.app_id").orderBy("b.api_key_id").orderBy("b.period", "desc").execute(),
    tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute(),
    tx.selectFrom("apps").select(["id", "name"]).orderBy("name").execute(),
    // Admins read their keys; finance does not (RLS): their key budgets show the key's id.
    tx.selectFrom("api_keys").select(["id", "name", "organization_id"]).where("revoked_at", "is", null).orderBy("name").execute(),
  ]);
  const appName = new Map(apps.map((a) => [a.id, a.name]));
  const keyName = new Map(keys.map((k) => [k.id, k.name]));
  const zones = new Map<string, string>();
  const zoneOf = async (orgId: string) => zones.get(orgId) ?? zones.set(orgId, await timeZoneFor(tx, orgId)).get(orgId)!;

  const budgets: ScopedBudgetRow[] = [];
  const forecasts: ForecastFigure[] = [];
  for (const r of rows) {
    const zone = await zoneOf(r.organization_id);
    const span = windowAt(r.period, zone, now.getTime());
    const parts = await windowSpend(tx, { organizationId: r.organization_id, appId: r.app_id, apiKeyId: r.api_key_id, from: span.from, to: span.to });
    const sum = sumInBudgetCurrency(parts, r.currency, fx);
    const amount = new Decimal(r.amount);
    const spent = sum.ok ? sum.amount : null;
    const scope = scopeOf({ appId: r.app_id, apiKeyId: r.api_key_id });
    budgets.push({
      id: r.id, organizationId: r.organization_id, organizationName: r.org_name, scope, appId: r.app_id, apiKeyId: r.api_key_id,
      target: scope === "organization" ? "Whole organization" : scope === "app" ? (appName.get(r.app_id!) ?? "App") : (keyName.get(r.api_key_id!) ?? `Key ${r.api_key_id!.slice(0, 8)}`),
      window: r.period, windowStart: span.start, amount: amount.toFixed(), currency: r.currency, policy: r.policy,
      spent: spent?.toFixed() ?? null, unconvertible: sum.ok ? [] : sum.unconvertible,
      pct: spent && amount.gt(0) ? spent.div(amount).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1) : null,
      over: spent !== null && spent.gte(amount),
    });
    if (scope === "organization" && r.period === "month") {
      const f = await organizationFigures(tx, { organizationId: r.organization_id, zone, currency: r.currency, fx, now });
      const monthEnd = f.ok ? f.forecast.monthEnd.toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : null;
      forecasts.push({
        organizationId: r.organization_id, monthEnd: monthEnd?.toFixed() ?? null, currency: r.currency, budget: amount.toFixed(),
        over: monthEnd !== null && monthEnd.gt(amount), unconvertible: f.ok ? [] : f.unconvertible,
      });
    }
  }
  return {
    budgets,
    forecasts,
    options: { organizations, apps, keys: keys.map((k) => ({ id: k.id, name: k.name, organizationId: k.organization_id })) },
  };
}

/** Adds or changes a budget of any scope, in the caller's RLS transaction (platform admins only). */
export async function saveScopedBudget(tx: UserTx, input: ScopedBudgetInput): Promise<{ id: string }> {
  if (input.appId && !(await tx.selectFrom("apps").select("id").where("id", "=", input.appId).executeTakeFirst())) {
    throw new WriteRefusal("That app does not exist (any more).");
  }
  if (input.apiKeyId) {
    const key = await tx.selectFrom("api_keys").select(["organization_id", "revoked_at"]).where("id", "=", input.apiKeyId).executeTakeFirst();
    if (!key || key.revoked_at) throw new WriteRefusal("That API key does not exist or was revoked.");
    if (key.organization_id && key.organization_id !== input.organizationId) throw new WriteRefusal("That API key is pinned to another organization.");
  }
  let dup = tx.selectFrom("budgets").select("id").where("organization_id", "=", input.organizationId).where("period", "=", input.window)
    .where("app_id", input.appId ? "=" : "is", input.appId).where("api_key_id", input.apiKeyId ? "=" : "is", input.apiKeyId);
  if (input.id) dup = dup.where("id", "<>", input.id);
  if (await dup.executeTakeFirst()) throw new WriteRefusal(`There already is a ${input.window === "day" ? "daily" : "monthly"} budget for that scope: edit it instead.`);
  const values = {
    organization_id: input.organizationId, app_id: input.appId, api_key_id: input.apiKeyId, period: input.window,
    amount: input.amount, currency: input.currency, policy: input.policy,
  };
  if (input.id) {
    const r = await tx.updateTable("budgets").set(values).where("id", "=", input.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new WriteRefusal("Only platform administrators can change budgets (or the budget no longer exists).");
    return { id: input.id };
  }
  return tx.insertInto("budgets").values(values).returning("id").executeTakeFirstOrThrow();
}

export async function deleteScopedBudget(tx: UserTx, id: string): Promise<{ id: string }> {
  const r = await tx.deleteFrom("budgets").where("id", "=", id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new WriteRefusal("Only platform administrators can remove budgets (or the budget no longer exists).");
  return { id };
}

/** The same, in a transaction of its own as the signed-in user (the Budgets page). */
export async function loadScopedBudgetsAs(db: Database | Kysely<DB>, claims: JwtClaims, now = new Date()): Promise<ScopedBudgetsData> {
  return withUser(db, claims, (tx) => loadScopedBudgets(tx, now));
}
