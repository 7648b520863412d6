import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { horizontalOverflow, seriousViolations } from "./axe";
import { parseCsv } from "./csv";
import { unpinnedAppKey } from "./app-key";
import { hydrated, screenshots, signIn } from "./session";


/** Savings (finance sees their organization only, CSV equals the tables) and Budgets (platform admin edits). */

const money = (text: string) => text.replace(/[^\d.-]/g, "");

/**
 * A savings table as rows of [first column, calls compared, without baseline, actual, baseline, savings]:
 * money cells give their exact amount (data-amount, what the CSV carries; the text is rounded to cents).
 */
async function shownRows(page: Page, by: "organization" | "app"): Promise<string[][]> {
  const cells = await page.locator(`table[data-savings-table=${by}] tbody tr`).evaluateAll((rows) =>
    rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.querySelector("[data-amount]")?.getAttribute("data-amount") ?? td.textContent?.trim() ?? "")),
  );
  return cells.map((c) => [c[0] ?? "", (c[2] ?? "").replace(/,/g, ""), (c[3] ?? "").replace(/,/g, ""), money(c[4] ?? ""), money(c[5] ?? ""), money(c[6] ?? "")]);
}

test("finance sees savings for their organization only and downloads the same rows as CSV", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/savings");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Savings", level: 1 })).toBeVisible();

  const orgRows = page.getByRole("table", { name: "Savings per organization and month" }).locator("tbody tr");
  await expect(orgRows.first()).toBeVisible();
  for (const name of await orgRows.locator("td:first-child").allTextContents()) expect(name).toBe("Acme Installations");
  await page.getByRole("combobox", { name: "Organization" }).click();
  await expect(page.getByRole("option")).toHaveText(["All visible organizations", "Acme Installations"]);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("figure", { name: /Actual and baseline cost per month/ })).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = parseCsv(fs.readFileSync(await (await download).path(), "utf8"));
  expect(csv[0]).toEqual([
    "section", "organization", "period", "app", "baseline_model", "calls", "calls_compared", "calls_without_baseline",
    "actual_cost", "baseline_cost", "savings", "savings_pct", "currency", "not_converted",
  ]);
  const orgCsv = csv.filter((r) => r[0] === "Organization and period");
  expect(orgCsv.length).toBeGreaterThan(0);
  expect(new Set(orgCsv.map((r) => r[1]))).toEqual(new Set(["Acme Installations"]));
  expect(orgCsv.map((r) => [r[1], r[6], r[7], r[8], r[9], r[10]])).toEqual(await shownRows(page, "organization"));
  expect(csv.filter((r) => r[0] === "App").map((r) => [r[3], r[6], r[7], r[8], r[9], r[10]])).toEqual(await shownRows(page, "app"));
  const total = csv.find((r) => r[0] === "Total" && r[13] === "");
  await expect(page.getByTestId("savings-total").locator("[data-amount]")).toHaveAttribute("data-amount", total?.[10] ?? "x");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "savings");

  // Finance reads their organization's budget but cannot edit it.
  // A read-only page: nothing in it to hydrate, so no hydrated() wait.
  await page.goto("/budgets");
  const budgets = page.getByRole("table", { name: "Budgets per organization" }).locator("tbody tr");
  await expect(budgets).toHaveCount(1);
  await expect(budgets.first()).toContainText("Acme Installations");
  await expect(page.getByRole("button", { name: /Edit budget/ })).toHaveCount(0);
  // Spend against the budget (its own currency) and all spend converted, the same figure as Overview.
  await expect(budgets.first().getByTestId("budget-spent-all").locator("[data-amount]").first()).toHaveAttribute("data-amount", /^\d+(\.\d+)?$/);
  expect(await seriousViolations(page)).toEqual([]);
  for (const path of ["/budgets", "/savings"]) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
  }
});

test("filters live in the URL, bad dates are explained, and month links of the old picker still open", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/savings?from=2026-13");
  await expect(page.getByText("Those filters are not valid")).toBeVisible();
  await expect(page.getByText("Use a date like 2026-11-24.")).toBeVisible();
  // A month link (`?from=2026-11&to=2026-11`) reads as that month's days.
  const now = new Date();
  const month = now.toISOString().slice(0, 7);
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
  await page.goto(`/savings?from=${month}&to=${month}`);
  await hydrated(page);
  await expect(page.getByTestId("range-summary")).toHaveText(`${month}-01 to ${last} · UTC · by day`);
  await page.getByRole("combobox", { name: "Organization" }).click();
  await page.getByRole("option", { name: "WVC" }).click();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${month}-01&to=${last}&org=[0-9a-f-]{36}`));
  for (const name of await page.locator("table[data-savings-table=organization] tbody tr td:first-child").allTextContents()) expect(name).toBe("WVC");
});

test("a platform admin edits a budget; bad input is explained next to the field", async ({ page, browser }) => {
  // A gateway call that waits for the budget figures: give a loaded machine room.
  test.slow();
  const key = await unpinnedAppKey(browser);
  await signIn(page, "admin@example.com");
  await page.goto("/budgets");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Budgets", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Edit budget of Acme Installations" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Monthly budget").fill("-1");
  await dialog.getByLabel("Alert webhook (optional)").fill("http://hooks.example.com/budget");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog.getByText(/Enter an amount of 0 or more/)).toBeVisible();
  await expect(dialog.getByText(/Use an https:\/\/ URL/)).toBeVisible();

  await dialog.getByLabel("Monthly budget").fill("12345.67");
  await dialog.getByLabel("Currency").fill("EUR");
  await dialog.getByLabel("Alert webhook (optional)").fill("https://hooks.example.com/budget?token=s3cret");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator("tr[data-org=acme]");
  await expect(row.getByTestId("budget-amount")).toHaveText("€12,345.67");
  // Only the webhook's host is shown: its path or query may hold a token.
  await expect(row).toContainText("hooks.example.com");
  await expect(page.locator("main")).not.toContainText("s3cret");
  // The organizations table's meter (Budgets by scope and window has one per budget too).
  await expect(page.getByRole("meter", { name: "Acme Installations: share of the monthly budget spent" })).toBeVisible();

  // Globex's budget goes to 0, so the next gateway call for Globex crosses 80 % and 100 %
  // whatever the day of the month (month-to-date demo spend is small early in a month). The
  // alerts are recorded while routing, whatever the upstream then answers (the demo's providers
  // have no keys here), and stay undelivered because Globex has no webhook.
  await page.getByRole("button", { name: "Edit budget of Globex Services" }).click();
  await dialog.getByLabel("Monthly budget").fill("0");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();
  // The call is repeated until the alerts show: an instance that has not read Globex's spend yet
  // routes without a budget figure, and the alerts are recorded once per threshold and month.
  const alerts = page.getByRole("table", { name: "Budget alerts" }).locator("tbody tr");
  await expect(async () => {
    await page.request.post("/api/llm/v1/chat/completions", {
      headers: { Authorization: `Bearer ${key}` },
      data: { model: "auto", messages: [{ role: "user", content: "Classificeer: lekkage" }], metadata: { action: "werkbon_classification", organization: "globex" } },
    });
    await page.reload();
    await expect(alerts.filter({ hasText: "Globex Services" })).toHaveCount(2, { timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [500, 1_000, 2_000] });
  await expect(alerts.filter({ hasText: "Globex Services" }).first()).toContainText("No webhook");
  await screenshots(page, "budgets");
});

test("viewers do not get the Budgets page, and the savings CSV needs a session", async ({ page, request }) => {
  const response = await request.get("/api/dashboard/savings");
  expect(response.status()).toBe(401);
  await signIn(page, "viewer@example.com");
  await page.goto("/budgets");
  await expect(page.getByText(/administrators and finance/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Budgets" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Savings" }).first()).toBeVisible();
});
