import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { horizontalOverflow, seriousViolations } from "./axe";
import { parseCsv } from "./csv";
import { hydrated, screenshots, signIn } from "./session";

/** Costs: what each role sees, filters kept in the URL, and a CSV equal to the tables shown. */

/**
 * The breakdown tables as CSV-like rows: breakdown, name, calls, exact cost (the cell's data-amount:
 * the text is rounded to cents, the CSV is exact), then one row per amount not converted.
 */
async function shownRows(page: Page): Promise<string[][]> {
  return page.locator("table[data-breakdown]").evaluateAll((tables) =>
    tables.flatMap((table) => {
      const breakdown = table.getAttribute("data-breakdown") ?? "";
      return [...table.querySelectorAll("tbody tr")].flatMap((tr) => {
        const cells = [...tr.querySelectorAll("td")];
        const cost = cells[2]?.querySelector("[data-amount]");
        const main = [breakdown, cells[0]?.textContent?.trim() ?? "", (cells[1]?.textContent ?? "").replace(/,/g, ""), cost?.getAttribute("data-amount") ?? "", cost?.getAttribute("data-currency") ?? "", ""];
        const apart = [...(cells[3]?.querySelectorAll("[data-amount]") ?? [])].map((m) => [main[0] ?? "", main[1] ?? "", "", m.getAttribute("data-amount") ?? "", m.getAttribute("data-currency") ?? "", "yes"]);
        return [main, ...apart];
      });
    }),
  );
}

test("finance of one organization sees only that organization and can download the CSV", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/costs");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Costs", level: 1 })).toBeVisible();

  const orgTable = page.getByRole("table", { name: "Cost by organization" });
  await expect(orgTable.locator("tbody tr")).toHaveCount(1);
  await expect(orgTable.locator("tbody tr").first()).toContainText("Acme Installations");
  await page.getByRole("combobox", { name: "Organization" }).click();
  await expect(page.getByRole("option")).toHaveText(["All visible organizations", "Acme Installations"]);
  await page.keyboard.press("Escape");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await (await download).path();
  const csv = parseCsv(fs.readFileSync(file, "utf8"));
  expect(csv[0]).toEqual(["breakdown", "name", "calls", "cost", "currency", "not_converted"]);
  // The chart's days follow the breakdowns (one line per day of the range, in the zone).
  const days = csv.filter((r) => r[0] === "Day (UTC)" && r[5] === "");
  expect(days).toHaveLength(30);
  const body = csv.slice(1).filter((r) => r[0] !== "Total" && !(r[0] ?? "").startsWith("Day ("));
  expect(body.length).toBeGreaterThan(5);
  expect(body.filter((r) => r[0] === "Organization").map((r) => r[1])).toEqual(["Acme Installations"]);
  expect(body).toEqual(await shownRows(page));
  // Exact decimals: no money cell is rounded to cents (real costs carry more digits).
  expect(body.some((r) => /\.\d{3,}$/.test(r[3] ?? ""))).toBe(true);
  const total = csv.find((r) => r[0] === "Total" && r[5] === "");
  await expect(page.getByTestId("cost-total").locator("[data-amount]")).toHaveAttribute("data-amount", total?.[3] ?? "x");
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "costs");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screens/costs-narrow-light.png", fullPage: true });
});

test("filters live in the URL and bad dates are explained", async ({ page }) => {
  await signIn(page, "admin@example.com");
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  await page.goto("/costs");
  await hydrated(page);
  await expect(page.getByRole("table", { name: "Cost by organization" }).locator("tbody tr")).not.toHaveCount(1);
  await page.getByLabel("From", { exact: true }).fill(day(6));
  await page.getByLabel("To", { exact: true }).fill(day(0));
  await page.getByRole("combobox", { name: "Organization" }).click();
  await page.getByRole("option", { name: "WVC" }).click();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${day(6)}&to=${day(0)}&org=[0-9a-f-]{36}`));
  await expect(page.getByRole("table", { name: "Cost by organization" }).locator("tbody tr")).toHaveText([/WVC/]);

  // The same range typed backwards is refused next to the field, before any navigation.
  await page.getByLabel("From", { exact: true }).fill(day(0));
  await page.getByLabel("To", { exact: true }).fill(day(6));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("The start date must be on or before the end date.")).toBeVisible();

  await page.goto("/costs?from=2026-02-30");
  await expect(page.getByText("Those filters are not valid")).toBeVisible();
  await expect(page.getByText("This is not a valid calendar date.")).toBeVisible();
});

test("the CSV route needs a session", async ({ request }) => {
  const response = await request.get("/api/dashboard/costs");
  expect(response.status()).toBe(401);
  expect((await response.json()).error.type).toBe("unauthorized");
});
