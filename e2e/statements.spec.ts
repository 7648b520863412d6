import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { parseCsv } from "./csv";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Client statements (issue 13) on the demo data: the seed bills Acme with a client price list,
 * WVC at cost + 20 %, Globex in USD, closes last month for all three and replays one late record
 * into WVC's closed month. Finance reads their organization's statement, downloads the CSV and
 * the FOCUS export and opens the print view; the platform admin sees the adjustment, reopens and
 * closes a month. Every page: axe (no serious/critical) and no sideways scroll at 390 px. At 1280
 * and 1440 px every column of every lines table, the Amount first, is in view without scrolling
 * the page or the table; the secondary detail (tokens by kind, pricing, client price, rate) is in
 * each row's details sheet on screen and on every line of the print view.
 */

const THIS_MONTH = new Date().toISOString().slice(0, 7);
const LAST_MONTH = (() => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
})();

async function download(page: Page, name: string): Promise<string[][]> {
  const pending = page.waitForEvent("download");
  await page.getByRole("link", { name, exact: true }).click();
  return parseCsv(fs.readFileSync(await (await pending).path(), "utf8"));
}

/**
 * Every lines table (per app, adjustments) at the current width: its scroll region does not
 * scroll sideways and every header cell lies inside the viewport horizontally (what a reader sees
 * after scrolling down, never sideways).
 */
async function everyColumnInView(page: Page) {
  const width = page.viewportSize()!.width;
  await fitsWidth(page);
  const tables = page.locator('main table[aria-label^="App: "], main table[aria-label="Adjustments to closed months"]');
  await expect(tables.first()).toBeVisible();
  for (const table of await tables.all()) {
    const name = await table.getAttribute("aria-label");
    const overflow = await table.evaluate((el) => el.parentElement!.scrollWidth - el.parentElement!.clientWidth);
    expect(overflow, `${name}: the table scrolls sideways by ${overflow}px at ${width}px`).toBeLessThanOrEqual(0);
    const headers = table.locator("thead th");
    expect(await headers.count()).toBeGreaterThanOrEqual(5);
    for (const th of await headers.all()) {
      const box = (await th.boundingBox())!;
      expect(box.x, `${name}: "${await th.innerText()}" starts left of the viewport`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${name}: "${await th.innerText()}" ends past ${width}px`).toBeLessThanOrEqual(width);
    }
    await expect(table.locator("thead th", { hasText: /^Amount \(/ })).toBeVisible();
  }
}

async function atWidths(page: Page, check: () => Promise<void>) {
  const size = page.viewportSize()!;
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: size.height });
    await check();
  }
  await page.setViewportSize(size);
}

async function phoneCheck(page: Page) {
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await fitsWidth(page);
  if (size) await page.setViewportSize(size);
}

test("finance reads their organization's statement, downloads CSV and FOCUS, and prints it", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/statements");
  await expect(page.getByRole("heading", { name: "Statements", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Statements of / })).toHaveCount(1);
  const table = page.getByRole("table", { name: "Statements of Acme Installations" });
  await expect(table.locator(`tr[data-month="${LAST_MONTH}"]`)).toContainText("Closed");
  await expect(table.locator(`tr[data-month="${LAST_MONTH}"]`)).toContainText("demo seed");
  await expect(table.locator(`tr[data-month="${THIS_MONTH}"]`)).toContainText("Draft");
  expect(await seriousViolations(page)).toEqual([]);
  await phoneCheck(page);

  await page.getByRole("link", { name: `Statement ${THIS_MONTH} of Acme Installations` }).click();
  await expect(page.getByRole("heading", { name: `Statement ${THIS_MONTH}`, level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("Price list", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^Close / })).toHaveCount(0);
  const total = await page.getByTestId("statement-total").locator("[data-amount]").first().getAttribute("data-amount");
  expect(total).toMatch(/^\d+(\.\d+)?$/);
  await atWidths(page, () => everyColumnInView(page));
  const screenLines = await page.locator("main table tbody tr[data-kind]").count();
  expect(screenLines).toBeGreaterThan(0);

  // A row's details sheet: tokens by kind, pricing rule, client price and rate, exact amounts;
  // keyboard: Enter opens it, Escape closes it and focus returns to the row's button.
  const firstRow = page.locator("main table tbody tr[data-kind]").first();
  const amount = await firstRow.locator("td").nth(-2).locator("[data-amount]").first().getAttribute("data-amount");
  expect(amount).toMatch(/^-?\d+(\.\d+)?$/);
  const details = firstRow.getByRole("button", { name: /^Details of / });
  await details.focus();
  await page.keyboard.press("Enter");
  const sheet = page.getByRole("dialog");
  await expect(sheet).toBeVisible();
  const fields = sheet.getByTestId("statement-line-details");
  for (const label of ["App", "Action", "Input tokens", "Cached input tokens", "Output tokens", "Reasoning tokens", "Cache writes (5 min)", "Cache writes (1 h)", "Pricing", "Client price (exact, before conversion)", "Rate", "Amount (exact)"]) {
    await expect(fields.locator("dt").getByText(label, { exact: true })).toHaveCount(1);
  }
  await expect(fields).toContainText(`${amount} `);
  expect(await seriousViolations(page, "[role=dialog]")).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await expect(details).toBeFocused();

  const csv = await download(page, "CSV");
  expect(csv[0]?.slice(0, 4)).toEqual(["organization", "month", "status", "row"]);
  const totalRow = csv.find((r) => r[3] === "total" && r[25] === "");
  expect(totalRow?.[23]).toBe(total);
  const focus = await download(page, "FOCUS export");
  const header = focus[0] ?? [];
  for (const column of ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency", "BillingPeriodStart", "ChargePeriodEnd", "ChargeCategory", "ServiceName", "ResourceId", "SubAccountId", "Tags"]) {
    expect(header).toContain(column);
  }
  const rows = focus.slice(1);
  expect(rows.length).toBeGreaterThan(0);
  const col = (name: string) => header.indexOf(name);
  expect(new Set(rows.map((r) => r[col("BillingAccountName")]))).toEqual(new Set(["Acme Installations"]));
  expect(new Set(rows.map((r) => r[col("ChargeCategory")]))).toEqual(new Set(["Usage"]));

  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "statement");
  await phoneCheck(page);

  await page.getByRole("link", { name: "Print view" }).click();
  await expect(page).toHaveURL(new RegExp(`/print/statements/[0-9a-f-]+/${THIS_MONTH}$`));
  await expect(page.getByRole("heading", { name: `Statement ${THIS_MONTH}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeVisible();
  // The PDF keeps every field: each line has its detail line (tokens by kind, pricing, client price, rate).
  const printDetails = page.getByTestId("print-line-detail");
  await expect(printDetails).toHaveCount(screenLines);
  for (const text of ["Input tokens", "Cached input tokens", "Reasoning tokens", "Cache writes (5 min)", "Cache writes (1 h)", "Calls without cost", "Client price", "Rate"]) {
    await expect(printDetails.first()).toContainText(text);
  }
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await page.emulateMedia({ media: "screen" });
  await phoneCheck(page);

  // Another organization's statement (or one that does not exist): 403 for the page, 404 for the export.
  const other = "00000000-0000-4000-8000-00000000beef";
  expect((await page.goto(`/statements/${other}/${THIS_MONTH}`))?.status()).toBe(403);
  expect((await page.request.get(`/api/dashboard/statements/${other}/${THIS_MONTH}?format=focus`)).status()).toBe(404);
});

test("the platform admin sees a late record as an adjustment, reopens a month with a reason and closes it again", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/statements");
  await expect(page.getByRole("table", { name: "Statements of WVC" })).toBeVisible();
  await page.getByRole("link", { name: `Statement ${THIS_MONTH} of WVC` }).click();
  const adjustments = page.getByRole("table", { name: "Adjustments to closed months" });
  await expect(adjustments).toBeVisible();
  await expect(adjustments.locator("tbody tr").first()).toContainText(LAST_MONTH);
  await atWidths(page, () => everyColumnInView(page));
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto("/statements");
  await page.getByRole("link", { name: `Statement ${LAST_MONTH} of Globex Services` }).click();
  await hydrated(page);
  await expect(page.getByText("Closed", { exact: true }).first()).toBeVisible();
  await page.getByRole("button", { name: `Reopen ${LAST_MONTH}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Reopen month" }).click();
  await expect(dialog.getByText("Say why (at least 3 characters).")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Client asked for the October rate");
  expect(await seriousViolations(page, "[role=dialog]")).toEqual([]);
  await dialog.getByRole("button", { name: "Reopen month" }).click();
  await expect(page.getByRole("button", { name: `Close ${LAST_MONTH}` })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();

  await page.getByRole("button", { name: `Close ${LAST_MONTH}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Close month" }).click();
  await expect(page.getByRole("button", { name: `Reopen ${LAST_MONTH}` })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(/by admin@example\.com/)).toBeVisible();
  // The confirmation toast is the shared Toaster's, and it goes after a few seconds; the page is what is checked.
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 15_000 });
  expect(await seriousViolations(page)).toEqual([]);
  await phoneCheck(page);
});
