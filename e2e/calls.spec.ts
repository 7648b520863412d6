import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parseCsv } from "./csv";
import { seriousViolations } from "./axe";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Calls: filters in the URL (model from the data, status), server-side sort, the total line, a
 * row's details sheet, the CSV of the filter, drill-down from Costs and Completeness with matching
 * counts, axe-core (no serious or critical violation), 390 px without horizontal scroll and every
 * column visible at 1280 px.
 */

const count = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

async function totalCount(page: Page): Promise<number> {
  return count(await page.getByTestId("calls-total-count").textContent());
}

test("finance filters failed calls and opens a request with its retry attempt", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/calls");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Calls", level: 1 })).toBeVisible();
  await screenshots(page, "calls");

  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=failed/);
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  // Under RLS the finance user of Acme sees only Acme's calls.
  for (const org of await page.getByTestId("call-org").allTextContents()) expect(org).toMatch(/^Acme Installations · /);
  await expect(rows.getByText("ok", { exact: true })).toHaveCount(0);

  const href = await rows.first().getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
  // Seeded failed first attempts are retried (often on a fallback model).
  await page.goto(href ?? "");
  await expect(page.getByRole("heading", { name: "Request", level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Attempt 1" })).toContainText("failed");
  await expect(page.getByRole("region", { name: "Attempt 2" })).toBeVisible();
  await screenshots(page, "call-detail");
});

test("admin filters by a model from the data, sorts by cost, reads the total, opens a row and downloads the CSV", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/calls");
  await hydrated(page);
  // The model that has calls but no price is among the choices (they come from the data).
  await page.getByLabel("Model").selectOption("mistral-medium-2508");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/model=mistral-medium-2508/);
  const models = page.locator("tbody tr td:nth-child(3)");
  await expect(models.first()).toHaveText("mistral-medium-2508");
  for (const m of await models.allTextContents()) expect(m).toBe("mistral-medium-2508");
  const filtered = await totalCount(page);
  expect(filtered).toBeGreaterThan(0);
  // Back to every model; the back button returns to the filtered view.
  await page.goto("/calls");
  const everything = await totalCount(page);
  expect(everything).toBeGreaterThan(filtered);
  await page.goBack();
  await expect(page).toHaveURL(/model=mistral-medium-2508/);
  await page.goto("/calls");

  // Sort by cost (server-side): the exact costs on the page are non-increasing.
  await page.getByRole("link", { name: /^Cost\b.*sort/ }).click();
  await expect(page).toHaveURL(/sort=cost/);
  await expect(page.getByRole("columnheader", { name: /^Cost\b/ })).toHaveAttribute("aria-sort", "descending");
  const costs = await page.locator("tbody tr td:nth-child(6)").evaluateAll((cells) =>
    cells.map((c) => (c.getAttribute("title") ?? "-1").split(" ")[0] ?? "-1"),
  );
  expect(costs.length).toBeGreaterThan(1);
  const numbers = costs.map(Number);
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  await expect(page.getByTestId("calls-total")).toContainText("tokens");
  await expect(page.getByTestId("calls-total-cost")).toHaveAttribute("data-exact", /^\d+(\.\d+)?$/);

  // A row's details: a dialog reachable by keyboard, closed with Escape, focus back on its button.
  const details = page.locator("tbody tr").first().getByRole("button", { name: /^Details of / });
  await details.focus();
  await page.keyboard.press("Enter");
  const sheet = page.getByRole("dialog");
  await expect(sheet).toBeVisible();
  await expect(sheet).toContainText("Cost (exact)");
  await expect(sheet.getByRole("link", { name: /Open request/ })).toBeVisible();
  expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await expect(details).toBeFocused();

  // The CSV of the filter: as many rows as the total line, costs as exact decimals.
  await page.getByLabel("Model").selectOption("mistral-small-latest");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/model=mistral-small-latest/);
  const shown = await totalCount(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const csv = parseCsv(fs.readFileSync(await (await download).path(), "utf8"));
  const header = csv[0] ?? [];
  expect(header).toContain("cost");
  const body = csv.slice(1).filter((r) => r.length > 1);
  expect(body.length).toBe(shown);
  const cost = header.indexOf("cost");
  const model = header.indexOf("model");
  for (const r of body) {
    expect(r[model]).toBe("mistral-small-latest");
    expect(r[cost] ?? "").toMatch(/^$|^\d+\.\d{12}$/);
  }
});

test("a Costs breakdown row and Completeness buckets open Calls with matching counts", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/costs");
  await hydrated(page);
  const row = page.getByRole("table", { name: "Cost by model" }).locator("tbody tr", { hasText: "mistral-small-latest" });
  const costsCalls = count(await row.locator("td").nth(1).textContent());
  expect(costsCalls).toBeGreaterThan(0);
  await row.getByRole("link", { name: "mistral-small-latest" }).click();
  await expect(page).toHaveURL(/\/calls\?model=mistral-small-latest&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  expect(await totalCount(page)).toBe(costsCalls);

  // A day's bar of the stacked chart, by keyboard: the link list beside the chart.
  await page.goto("/costs");
  await hydrated(page);
  await page.getByText("Calls behind each bar").click();
  const dayLink = page.getByRole("list", { name: "Calls per day" }).getByRole("link").first();
  await expect(dayLink).toHaveAttribute("href", /organization=.*&from=(\d{4}-\d{2}-\d{2})&to=\1/);
  await dayLink.click();
  await expect(page).toHaveURL(/\/calls\?organization=/);
  expect(await totalCount(page)).toBeGreaterThan(0);

  await page.goto("/completeness");
  await hydrated(page);
  const missing = page.getByRole("table", { name: "Models missing from pricing" }).locator("tbody tr", { hasText: "mistral-medium-2508" });
  const unpriced = missing.locator("td").nth(1).getByRole("link");
  const shown = count(await unpriced.textContent());
  expect(shown).toBeGreaterThan(0);
  await unpriced.click();
  await expect(page).toHaveURL(/\/calls\?model=mistral-medium-2508&provider=mistral&without_cost=1/);
  expect(await totalCount(page)).toBe(shown);
  await expect(page.getByLabel("Without cost")).toBeChecked();

  await page.goto("/completeness");
  await hydrated(page);
  const costGap = page.getByRole("list", { name: "Metadata coverage" }).getByRole("link", { name: /without cost$/ });
  const gap = count(await costGap.textContent());
  await costGap.click();
  await expect(page).toHaveURL(/without_cost=1/);
  expect(await totalCount(page)).toBe(gap);
});

test("Calls passes axe, fits 390 px and shows every column at 1280 px", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/calls");
  await hydrated(page);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: "light" });
  const viewport = page.viewportSize()?.width ?? 0;
  expect(viewport).toBe(1280);
  for (const name of [/^Tokens/, /^Cost/, /^Latency/]) {
    const box = await page.getByRole("columnheader", { name }).boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? viewport) + (box?.width ?? 0)).toBeLessThanOrEqual(viewport);
  }
  const detailsBox = await page.locator("tbody tr").first().getByRole("button", { name: /^Details of / }).boundingBox();
  expect((detailsBox?.x ?? viewport) + (detailsBox?.width ?? 0)).toBeLessThanOrEqual(viewport);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await hydrated(page);
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screens/calls-narrow-light.png", fullPage: true });
});
