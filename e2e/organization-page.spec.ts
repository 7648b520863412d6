import { expect, test, type Browser, type Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { hydrated, screenshots, signIn } from "./session";

/**
 * One client's page (/organizations/[id]) in the production build: the platform admin reaches it
 * from Organizations, an org admin from "Your access" on the Overview; spend against budget, the
 * trend (with its table), the routing in force (override vs inherited default), keys, recent calls
 * linking to Calls filtered by the organization, feedback; another organization's id answers 403;
 * axe-core finds nothing serious; nothing is wider than a 390 px phone.
 */

/** The DEMO_API_KEY the e2e server starts with (playwright.config.ts). */
const DEMO_API_KEY = process.env.E2E_DEMO_API_KEY ?? "llmcp_e2e_demo_key_0123456789";

async function noHorizontalScroll(page: Page) {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
}

/** The demo organizations' ids, read from the platform admin's Organizations page. */
async function organizationIds(browser: Browser): Promise<Record<"acme" | "wvc", string>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "admin@example.com");
    await page.goto("/organizations");
    const id = async (slug: string) => {
      const href = await page.locator(`[data-organization="${slug}"] a`).first().getAttribute("href");
      const match = /^\/organizations\/([0-9a-f-]{36})$/.exec(href ?? "");
      if (!match?.[1]) throw new Error(`no organization link for ${slug}: ${href}`);
      return match[1];
    };
    return { acme: await id("acme"), wvc: await id("wvc") };
  } finally {
    await context.close();
  }
}

async function sectionsVisible(page: Page) {
  await expect(page.getByRole("heading", { name: "Spend this month", level: 2 })).toBeVisible();
  await expect(page.getByTestId("spent")).toHaveText(/\d/);
  await expect(page.getByRole("heading", { name: "Daily trend", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Models and rules in force", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "API keys", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Feedback", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Recent calls", level: 2 })).toBeVisible();
}

test("the platform admin opens a client from Organizations: spend, trend, rules in force, keys, calls, feedback", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/organizations");
  await hydrated(page);
  await page.locator('[data-organization="wvc"]').getByRole("link", { name: "WVC" }).click();
  await expect(page).toHaveURL(/\/organizations\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").at(-1)!;
  await expect(page.getByRole("heading", { name: "WVC", level: 1 })).toBeVisible();
  await sectionsVisible(page);

  // WVC's own override wins for classification; it inherits the default for contracts.
  const rules = page.getByTestId("rules-in-force");
  const classification = rules.locator('tr[data-action="werkbon_classification"]');
  await expect(classification).toHaveAttribute("data-source", "client_override");
  await expect(classification).toContainText("claude-sonnet-4-20250514");
  await expect(classification).toContainText("priority 200");
  await expect(classification).toContainText('default rule "werkbon_classification" priority 100');
  await expect(rules.locator('tr[data-action="contract_generation"]')).toHaveAttribute("data-source", "configuration");

  // The trend's figures are also a table, for keyboard and screen-reader users.
  await page.getByText("The same figures as a table").click();
  await expect(page.getByRole("region", { name: "Daily cost and calls" }).getByRole("row")).toHaveCount(31);

  await screenshots(page, "organization-page");
  expect(await seriousViolations(page)).toEqual([]);

  // A recent call opens its request; "View calls" opens Calls filtered by this organization.
  const calls = page.getByTestId("organization-calls");
  await expect(calls.getByRole("row")).not.toHaveCount(1);
  await page.getByRole("link", { name: "View calls" }).click();
  await expect(page).toHaveURL(new RegExp(`/calls\\?organization=${id}$`));
  await expect(page.getByRole("heading", { name: "Calls", level: 1 })).toBeVisible();
  await page.goBack();
  await page.getByTestId("organization-calls").getByRole("link", { name: /^Request / }).first().click();
  await expect(page).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Request", level: 1 })).toBeVisible();

  // The sandbox's pinned demo key: name, prefix, scopes and limit, never the key itself.
  await page.goto("/organizations");
  await page.locator('[data-organization="sandbox"]').getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Demo Sandbox", level: 1 })).toBeVisible();
  const demoKey = page.getByTestId("organization-keys").locator("tbody tr", { hasText: "Demo key" });
  await expect(demoKey).toContainText("llm, feedback");
  await expect(demoKey).toContainText("60/min");
  expect(await page.content()).not.toContain(DEMO_API_KEY);

  // An id that does not exist: 404 for a platform admin (they could read any organization).
  const missing = await page.goto("/organizations/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
});

test("an org admin reaches their organization from the Overview; another organization's page answers 403", async ({ page, browser }) => {
  const ids = await organizationIds(browser);
  await signIn(page, "orgadmin@example.com");
  // Overview names Acme twice: in the budget list (→ its calls) and under "Your access" (→ its page).
  // The budget's month is a UTC month (llm_call_daily), and its link says so: Calls reads the same days.
  await expect(page.locator('[data-budget-org="Acme Installations"] a[data-drill="calls"]')).toHaveAttribute("href", /[?&]tz=UTC(&|$)/);
  await page.getByRole("link", { name: "Acme Installations" }).and(page.locator(`a[href$="/organizations/${ids.acme}"]`)).click();
  await expect(page).toHaveURL(new RegExp(`/organizations/${ids.acme}$`));
  await expect(page.getByRole("heading", { name: "Acme Installations", level: 1 })).toBeVisible();
  await sectionsVisible(page);
  // Acme has no override of its own: every rule is a default it inherits.
  const sources = await page.getByTestId("rules-in-force").locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-source")));
  expect(sources.length).toBeGreaterThan(0);
  expect(new Set(sources)).toEqual(new Set(["configuration"]));
  // Its admin may read its keys (the demo pins none to Acme); finance may not (below).
  await expect(page.getByText("API keys are shown to administrators of this organization only.")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Manage keys" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const denied = await page.goto(`/organizations/${ids.wvc}`);
  expect(denied?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(page.getByText("WVC")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test("finance reads the page without keys; at 390 px nothing is wider than the screen", async ({ page, browser }) => {
  const ids = await organizationIds(browser);
  await signIn(page, "finance@example.com");
  await page.setViewportSize({ width: 390, height: 844 });
  const response = await page.goto(`/organizations/${ids.acme}`);
  expect(response?.status()).toBe(200);
  await sectionsVisible(page);
  await expect(page.getByText("API keys are shown to administrators of this organization only.")).toBeVisible();
  await page.getByText("The same figures as a table").click();
  await noHorizontalScroll(page);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "organization-page-390");
  expect((await page.goto(`/organizations/${ids.wvc}`))?.status()).toBe(403);
  await noHorizontalScroll(page);
});
