import { expect, test, type Page } from "@playwright/test";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { horizontalOverflow, seriousViolations } from "./axe";
import { hydrated, screenshots, signIn } from "./session";

/**
 * The Overview refreshes itself: a call recorded by the gateway shows up in "Calls today" without
 * a reload, and a failed refresh keeps the last figures with a note instead of blanking the page.
 * Its money is the same as Costs' for the same range (one conversion rule), formatted by one
 * helper; it passes axe and fits a 390 px screen.
 */

const DEMO_API_KEY = process.env.E2E_DEMO_API_KEY ?? "llmcp_e2e_demo_key_0123456789";

const callsToday = async (page: Page) =>
  Number((await page.locator('[data-stat="Calls today"]').getByTestId("stat-value").innerText()).replace(/\D/g, ""));

test("a gateway call shows up in Calls today without a reload", async ({ page }) => {
  // The refresh runs every 15 s; one interval plus a cold dev server needs more than the default.
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await hydrated(page);
  await expect(page.getByTestId("overview-updated")).toContainText(/Updated \d+s ago/);
  const before = await callsToday(page);

  // The Demo Sandbox is routed to the key-less mock models, so the call succeeds and is recorded.
  const res = await page.request.post("/api/llm/v1/chat/completions", {
    headers: { Authorization: `Bearer ${DEMO_API_KEY}` },
    data: { model: "auto", messages: [{ role: "user", content: "Classificeer: lekkage" }], metadata: { action: "werkbon_classification", organization: "sandbox" } },
  });
  expect(res.status()).toBe(200);

  const url = page.url();
  await expect.poll(() => callsToday(page), { timeout: 40_000, intervals: [1_000] }).toBeGreaterThan(before);
  expect(page.url()).toBe(url);
});

test("a failed refresh keeps the last figures and says so", async ({ page }) => {
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await hydrated(page);
  const shown = await page.locator('[data-stat="Calls today"]').getByTestId("stat-value").innerText();
  await page.route("**/api/dashboard/overview", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { type: "unavailable", message: "The overview could not be read just now." } }) }),
  );
  await expect(page.getByTestId("overview-refresh-error")).toContainText("The overview could not be read just now.", { timeout: 45_000 });
  await expect(page.locator('[data-stat="Calls today"]').getByTestId("stat-value")).toHaveText(shown);

  await page.unroute("**/api/dashboard/overview");
  await expect(page.getByTestId("overview-refresh-error")).toBeHidden({ timeout: 45_000 });
});

test("the refresh pauses while the tab is hidden and resumes when it is shown", async ({ page }) => {
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await hydrated(page);
  let refreshes = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/dashboard/overview") refreshes += 1;
  });
  const setVisibility = (state: "hidden" | "visible") =>
    page.evaluate((s) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);

  await setVisibility("hidden");
  // More than one 15 s interval: a visible tab would have refreshed at least once.
  await page.waitForTimeout(17_000);
  expect(refreshes).toBe(0);
  await setVisibility("visible");
  await expect.poll(() => refreshes, { timeout: 20_000 }).toBeGreaterThan(0);
});

test("finance of Acme sees only Acme's budget and savings", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await hydrated(page);
  const budget = page.locator('[data-slot="card"]', { has: page.getByRole("heading", { name: "Budget this month" }) });
  await expect(budget).toContainText("Acme Installations");
  await expect(budget).not.toContainText("Globex");
  await expect(budget).not.toContainText("WVC");
  await expect(page.getByRole("heading", { name: "Savings against baseline models" })).toBeVisible();
  await expect(page.locator("[data-savings]").first()).toBeVisible();
  await screenshots(page, "overview-finance");
});

/** Every rendered amount: its exact decimal (data-amount) and what the page shows for it. */
async function renderedAmounts(page: Page): Promise<{ amount: string; text: string; title: string | null }[]> {
  return page.locator("[data-amount]").evaluateAll((nodes) =>
    nodes.map((n) => ({ amount: n.getAttribute("data-amount") ?? "", text: n.textContent ?? "", title: n.getAttribute("title") })),
  );
}

/** No real cost reads as zero, and a rounded amount carries its exact value in the title. */
function checkRounding(amounts: { amount: string; text: string; title: string | null }[]) {
  for (const a of amounts) {
    const nonZero = /[1-9]/.test(a.amount);
    if (nonZero) expect(a.text, `${a.amount} shown as ${a.text}`).not.toMatch(/^-?[€$£]0\.00$/);
    if (/\.\d{3,}/.test(a.amount.replace(/0+$/, ""))) expect(a.title, `${a.amount} shown as ${a.text}`).toBeTruthy();
  }
}

test("Overview's 30-day cost and month-to-date spend equal the Costs totals as rendered; one row per organization", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await hydrated(page);
  const cost30 = page.locator('[data-trend-total^="Cost"] [data-amount]').first();
  await expect(cost30).toBeVisible();
  const overview30 = { amount: await cost30.getAttribute("data-amount"), text: await cost30.innerText() };
  const month = page.locator('[data-stat="Spend this month"]').getByTestId("stat-value").locator("[data-amount]");
  const overviewMonth = { amount: await month.getAttribute("data-amount"), text: await month.innerText() };
  expect(overview30.amount).toMatch(/^\d+(\.\d+)?$/);

  // One row per organization in "Budget this month" (not one per currency).
  const names = await page.locator("[data-budget-org]").evaluateAll((li) => li.map((l) => l.getAttribute("data-budget-org")));
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
  checkRounding(await renderedAmounts(page));
  expect(await seriousViolations(page)).toEqual([]);

  // Costs' default range is the same last 30 days (UTC) as Overview's trend.
  await page.goto("/costs");
  await hydrated(page);
  const total = page.getByTestId("cost-total").locator("[data-amount]");
  await expect(total).toHaveAttribute("data-amount", overview30.amount ?? "x");
  await expect(total).toHaveText(overview30.text);
  // One date format: the range reads ISO days.
  await expect(page.locator('[data-stat^="Total cost"]')).toContainText(/\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
  checkRounding(await renderedAmounts(page));
  // Axis ticks carry the decimals their step needs (0.25 → €0.25, never €0.3).
  const tick = page.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
  // The chart measures its width after hydration before it draws the axis.
  await expect(tick.nth(1)).toBeAttached();
  const ticks = await tick.allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  for (const t of ticks) expect(t).toMatch(/^[€$£](\d+|\d+\.\d{2,}|[\d.]+[KM])$/);

  // Month to date on Costs is Overview's "Spend this month".
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/costs?from=${today.slice(0, 7)}-01&to=${today}`);
  await hydrated(page);
  await expect(page.getByTestId("cost-total").locator("[data-amount]")).toHaveAttribute("data-amount", overviewMonth.amount ?? "x");
  await expect(page.getByTestId("cost-total").locator("[data-amount]")).toHaveText(overviewMonth.text);
});

test("Overview fits a 390 px screen and passes axe there, with every organization listed", async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.setViewportSize({ width: 390, height: 844 });
  await hydrated(page);
  await expect(page.locator('[data-trend-total^="Cost"]')).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  // No inner scroll hides an organization: every row is on the page.
  const rows = page.locator("[data-budget-org]");
  expect(await rows.count()).toBeGreaterThan(1);
  await rows.last().scrollIntoViewIfNeeded();
  await expect(rows.last()).toBeInViewport();
  expect(await seriousViolations(page)).toEqual([]);
});
