import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { horizontalOverflow, seriousViolations } from "./axe";
import { parseCsv } from "./csv";
import { pickByKeyboard } from "./select";
import { hydrated, signIn } from "./session";

/**
 * The shared date-range control on Calls and Savings (issue 12): a preset chosen by keyboard,
 * kept in the URL and through a reload and a sort, resolved to ISO days of the reporting time zone
 * (UTC in the demo), the CSV holding the resolved days; Savings by day up to 93 days, bad
 * parameters shown as the defaults with a message (HTTP 200, never an error page); the Costs CSV's
 * per-day lines; axe-core and a 390 px screen.
 */

const iso = (d: Date) => d.toISOString().slice(0, 10);

function lastMonth(now = new Date()): { from: string; to: string } {
  return {
    from: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))),
    to: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0))),
  };
}

/** Opens the Period list by keyboard and moves `ups` options up from the current one, then picks it. */
async function pickPeriod(page: Page, ups: number, name: string): Promise<void> {
  await pickByKeyboard(page, page.getByRole("combobox", { name: "Period" }), ups, name);
}

async function phone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("Calls: a preset chosen by keyboard stays in the URL through a reload and a sort; the CSV holds its days", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/calls");
  await hydrated(page);
  const period = page.getByRole("combobox", { name: "Period" });
  // No dates: the last 30 days as a custom range, in the reporting zone.
  await expect(period).toHaveText("Custom range");
  await expect(page.getByLabel("From", { exact: true })).toHaveAttribute("placeholder", "yyyy-mm-dd");
  await expect(page.getByTestId("range-summary")).toContainText("· UTC");

  // Custom range → Last month is one step up; then Apply by keyboard.
  await pickPeriod(page, 1, "Last month");
  await expect(page.getByLabel("From", { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Apply filters" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]preset=last_month(&|$)/);
  await expect(page).not.toHaveURL(/[?&]from=/);
  const { from, to } = lastMonth();
  await expect(page.getByTestId("range-summary")).toHaveText(`${from} to ${to} · UTC`);
  const shown = Number((await page.getByTestId("calls-total-count").textContent())?.replace(/[^\d]/g, ""));
  expect(shown).toBeGreaterThan(0);
  // The export holds the days shown, in the zone they are in.
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", `/api/dashboard/calls?from=${from}&to=${to}&tz=UTC`);

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveText("Last month");
  // A sort keeps the preset (the link is still "last month", not its days).
  await page.getByRole("link", { name: /^Cost\b.*sort/ }).click();
  await expect(page).toHaveURL(/\/calls\?preset=last_month&sort=cost$/);
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveText("Last month");
  expect(await seriousViolations(page)).toEqual([]);
  await phone(page);

  // A drill-down link from a page with days of a zone: tz travels and is shown.
  await page.goto(`/calls?from=${from}&to=${from}&tz=Europe%2FAmsterdam`);
  await hydrated(page);
  await expect(page.getByTestId("range-summary")).toHaveText(`${from} · Europe/Amsterdam`);
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveText("Custom range");
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(from);
});

test("Savings: the shared control, by day up to 93 days, and bad parameters shown as the defaults", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/savings");
  await hydrated(page);
  // The default view: six months, by month.
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveText("Custom range");
  await expect(page.getByTestId("range-summary")).toContainText("· UTC · by month");
  await expect(page.getByRole("table", { name: "Savings per organization and month" })).toBeVisible();

  // Custom range → Last month → This month → Last 30 days: three steps up, Apply by keyboard.
  await pickPeriod(page, 3, "Last 30 days");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("combobox", { name: "Organization" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Apply" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/savings\?preset=last_30_days$/);
  const today = iso(new Date());
  const first = iso(new Date(Date.now() - 29 * 86_400_000));
  await expect(page.getByTestId("range-summary")).toHaveText(`${first} to ${today} · UTC · by day`);
  const table = page.getByRole("table", { name: "Savings per organization and day" });
  await expect(table.locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("figure", { name: /Actual and baseline cost per day/ })).toBeVisible();
  // Rows of one day link to exactly that day's calls, in the page's zone.
  await expect(table.locator("tbody tr").first().getByRole("link")).toHaveAttribute("href", /from=(\d{4}-\d{2}-\d{2})&to=\1&tz=UTC/);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", `/api/dashboard/savings?from=${first}&to=${today}`);
  expect(await seriousViolations(page)).toEqual([]);

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveText("Last 30 days");
  await phone(page);

  // Unknown or invalid parameters: HTTP 200, the defaults, and what was wrong.
  for (const search of ["preset=fortnight", "from=2026-13", "from=yesterday&to=today", "org=acme"]) {
    const response = await page.goto(`/savings?${search}`);
    expect(response?.status(), search).toBe(200);
    await expect(page.getByText("Those filters are not valid")).toBeVisible();
    await expect(page.getByTestId("range-summary")).toContainText("by month");
  }
  await expect(page.getByText("Unknown organization.")).toBeVisible();
  await page.goto("/savings?preset=fortnight");
  await expect(page.getByText("Unknown period: choose one from the list.")).toBeVisible();
});

test("the Costs CSV has one line per day of the chart, adding up to the total", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/costs?preset=last_7_days");
  await hydrated(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = parseCsv(fs.readFileSync(await (await download).path(), "utf8"));
  const days = csv.filter((r) => r[0] === "Day (UTC)" && r[5] === "");
  expect(days.map((r) => r[1])).toEqual(Array.from({ length: 7 }, (_, i) => iso(new Date(Date.now() - (6 - i) * 86_400_000))));
  const total = csv.find((r) => r[0] === "Total" && r[5] === "");
  expect(days.reduce((n, r) => n + Number(r[2]), 0)).toBe(Number(total?.[2]));
  for (const r of days) expect(r[3] ?? "").toMatch(/^\d+(\.\d+)?$/);
});
