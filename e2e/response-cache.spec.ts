import { expect, test } from "@playwright/test";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { hydrated, screenshots, signIn } from "./session";

/**
 * The per-tenant response cache (issue 13) end to end: an admin turns it on for the sandbox
 * organization with the cache.ttl_seconds setting, the demo key's identical call is answered
 * from the cache, Savings shows what it saved and links to the Calls page filtered by
 * "Response cache hit"; Overview and the organization page show the same "saved by cache" for
 * this month as Savings for the same days (and organization); every page passes axe and fits a
 * 390 px phone.
 */
const DEMO_API_KEY = process.env.E2E_DEMO_API_KEY ?? "llmcp_e2e_demo_key_0123456789";

test("a cached answer shows on Savings as 'saved by cache' and in the Calls filter", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/settings");
  await hydrated(page);
  const row = page.locator('[data-key="cache.ttl_seconds"]');
  await expect(row.getByTestId("effective-value")).toHaveText("0");
  await row.getByRole("button", { name: "Add override" }).click();
  const dialog = page.getByRole("dialog", { name: "Override cache.ttl_seconds" });
  await dialog.getByLabel("Organization").click();
  await page.getByRole("option", { name: "Demo Sandbox" }).click();
  await dialog.getByLabel("Value").fill("3600");
  await dialog.getByRole("button", { name: "Save setting" }).click();
  await expect(dialog).toBeHidden();

  // The gateway's configuration cache learns of the setting within seconds: then the second of
  // two identical calls is a hit.
  const body = { model: "werkbon_classification", messages: [{ role: "user", content: `e2e response cache ${Date.now()}` }] };
  const call = async () => {
    const res = await page.request.post("/api/llm/v1/chat/completions", { headers: { Authorization: `Bearer ${DEMO_API_KEY}` }, data: body });
    expect(res.status()).toBe(200);
    return res.headers()["x-llm-cache"] ?? "off";
  };
  await expect.poll(call, { timeout: 20_000 }).toBe("hit");

  await page.goto("/savings");
  await hydrated(page);
  const saved = page.getByTestId("cache-saved").locator("[data-amount]");
  // The ledger row is written by the recorder's batch: reload until the rollup has it.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: /answered from the cache/ })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(saved).toHaveAttribute("data-amount", /^0\.0*[1-9]\d*$/);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "savings-cache");

  await page.getByRole("link", { name: /answered from the cache/ }).click();
  await expect(page).toHaveURL(/response_cache=1/);
  await hydrated(page);
  await expect(page.getByRole("checkbox", { name: "Response cache hit" })).toBeChecked();
  const rows = page.locator("table tbody tr");
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText("mock-small");
  expect(await seriousViolations(page)).toEqual([]);

  // Overview and the organization page: this month's (UTC) figure, the one Savings shows for the same days.
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 7)}-01`;
  const savedOn = async (path: string, scope: string | null) => {
    await page.goto(path);
    await hydrated(page);
    const figure = (scope ? page.getByTestId(scope) : page).getByTestId("cache-saved");
    await expect(figure).toHaveCount(1);
    return figure.locator("[data-amount]").first().getAttribute("data-amount");
  };
  await page.goto("/organizations");
  const orgHref = await page.locator('[data-organization="sandbox"] a').first().getAttribute("href");
  const sandbox = /^\/organizations\/([0-9a-f-]{36})$/.exec(orgHref ?? "")?.[1];
  expect(sandbox).toBeTruthy();
  const savingsAll = await savedOn(`/savings?from=${monthStart}&to=${today}`, null);
  const savingsSandbox = await savedOn(`/savings?from=${monthStart}&to=${today}&org=${sandbox}`, null);
  expect(savingsAll).toMatch(/^0\.0*[1-9]\d*$/);
  expect(await savedOn("/", "cache-saved-summary")).toBe(savingsAll);
  await expect(page.getByTestId("cache-saved-summary").getByRole("link", { name: /answered from the cache/ })).toHaveAttribute("href", /response_cache=1/);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await savedOn(`/organizations/${sandbox}`, "cache-saved-summary")).toBe(savingsSandbox);
  const orgLink = page.getByTestId("cache-saved-summary").getByRole("link", { name: /answered from the cache/ });
  await expect(orgLink).toHaveAttribute("href", new RegExp(`organization=${sandbox}.*response_cache=1|response_cache=1.*organization=${sandbox}`));
  expect(await seriousViolations(page)).toEqual([]);

  for (const path of ["/savings", "/calls?response_cache=1", "/", `/organizations/${sandbox}`]) {
    await page.setViewportSize(PHONE);
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await fitsWidth(page);
  }

  // Off again for the specs after this one (one database per run).
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/settings");
  await hydrated(page);
  await page.getByRole("button", { name: /^Delete cache\.ttl_seconds \(organization/ }).click();
  await page.getByRole("button", { name: "Delete setting" }).click();
  await expect(page.locator('[data-key="cache.ttl_seconds"]').getByTestId("effective-value")).toHaveText("0");
});
