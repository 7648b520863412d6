import { expect, test, type Page } from "@playwright/test";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { seriousViolations } from "./axe";
import { hydrated, screenshots, signIn } from "./session";

/**
 * The Audit page in a real browser: a change made in the UI (a key's rate limit) shows up with its
 * area, name, who and a labelled before → after; filters and search live in the URL; an org admin
 * sees only their organization's entries; axe-core finds no serious or critical violation, and the
 * page fits a 390 px screen. The key created here is app-wide and revoked at the end.
 */

const entries = (page: Page) => page.getByTestId("audit-entry");

/** The table row of one labelled field in an entry: [before, after] (or [value]). */
async function fieldCells(page: Page, entryIndex: number, label: string): Promise<string[]> {
  const row = entries(page).nth(entryIndex).locator("tbody tr").filter({ has: page.locator(`th:text-is("${label}")`) });
  await expect(row).toHaveCount(1);
  return row.locator("td").allInnerTexts();
}

test("a key's rate limit changed in the UI appears with its name, who, and a labelled before → after", async ({ page }) => {
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/keys");
  await hydrated(page);
  const name = `audit e2e ${Date.now()}`;
  await page.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Rate limit (requests per minute)").fill("120");
  await create.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("dialog", { name: "Your new API key" }).getByRole("button", { name: "Done" }).click();
  const row = page.locator(`[data-key="${name}"]`);
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit key “${name}”` });
  await edit.getByLabel("Rate limit (requests per minute)").fill("60");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Key “${name}” saved.`).first()).toBeVisible();

  // Search and area through the form: the filters land in the URL.
  await page.goto("/audit");
  await hydrated(page);
  await page.getByRole("searchbox", { name: "Search" }).fill(name);
  await page.getByRole("combobox", { name: "Area" }).selectOption({ label: "API key" });
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]area=key(&|$)/);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(name).replace(/%20/g, "(\\+|%20)")}`));
  await expect(page.getByRole("status").filter({ hasText: "2 changes match" })).toBeVisible();
  await expect(entries(page)).toHaveCount(2);
  await expect(entries(page).first().getByRole("heading")).toHaveText(`API key ${name} changed`);
  await expect(entries(page).first()).toContainText(`by ${PLATFORM_ADMIN_EMAIL}`);
  await expect(entries(page).first().locator("time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  await expect(entries(page).first().getByRole("columnheader")).toHaveText(["Field", "Before", "After"]);
  expect(await fieldCells(page, 0, "Rate limit / minute")).toEqual(["120", "60"]);
  await expect(entries(page).nth(1).getByRole("heading")).toHaveText(`API key ${name} created`);
  expect(await fieldCells(page, 1, "Name")).toEqual([name]);
  // Ids are resolved to names: the key's app is named, not a uuid.
  expect((await fieldCells(page, 1, "App"))[0]).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  await expect(page.locator("main")).not.toContainText(/[0-9a-f]{64}|key_hash|authenticated/);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "audit-key-change", async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  await page.goto("/keys");
  await hydrated(page);
  await page.locator(`[data-key="${name}"]`).getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog", { name: `Revoke “${name}”?` }).getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText(`Key “${name}” revoked.`).first()).toBeVisible();
});

test("filters by area and who keep to the URL; the seed's rules were written by the system; bad or empty filters say so", async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/audit");
  await hydrated(page);
  await page.getByRole("combobox", { name: "Area" }).selectOption({ label: "Routing rule" });
  await page.getByRole("combobox", { name: "Who" }).selectOption("system");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/area=routing/);
  await expect(page).toHaveURL(/actor=system/);
  await expect(entries(page).first()).toBeVisible();
  for (const heading of await entries(page).getByRole("heading").allInnerTexts()) expect(heading).toMatch(/^Routing rule /);
  for (const text of await entries(page).allInnerTexts()) expect(text).toContain("by system");
  await expect(page.getByRole("combobox", { name: "Area" })).toHaveValue("routing");

  await page.goto("/audit?q=no-such-change-anywhere-xyz");
  await expect(page.getByRole("status").filter({ hasText: "No changes match these filters." })).toBeVisible();
  await expect(page.getByRole("link", { name: "Clear filters" }).first()).toBeVisible();
  await page.goto("/audit?area=llm_configurations&from=2026-13-01");
  await expect(page.getByText("Some filters were ignored")).toBeVisible();
  await expect(entries(page).first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("an org admin sees only their organization's entries", async ({ page }) => {
  await signIn(page, "orgadmin@example.com");
  await page.goto("/audit");
  await hydrated(page);
  // The shared date-range control's organization list (a Radix select): only their organization.
  await page.getByRole("combobox", { name: "Organization" }).click();
  await expect(page.getByRole("option")).toHaveText(["All visible organizations", "Acme Installations"]);
  await page.keyboard.press("Escape");
  await expect(entries(page).first()).toBeVisible();
  for (const text of await entries(page).allInnerTexts()) expect(text).toMatch(/organization Acme Installations|^(Organization|Budget) Acme Installations/);
  expect(await seriousViolations(page)).toEqual([]);
});

test("the audit page fits a 390 px screen and passes axe there", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/audit");
  await hydrated(page);
  await expect(entries(page).first()).toBeVisible();
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, "audit-390");
});

test("a viewer cannot open the audit trail", async ({ page }) => {
  await signIn(page, "viewer@example.com");
  await page.goto("/audit");
  await expect(page.getByText("You don't have access to this page")).toBeVisible();
});

test("the period uses the shared date-range control: a preset keeps the other filters and the CSV link carries its days", async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/audit?area=routing");
  await hydrated(page);
  await expect(page.getByRole("combobox", { name: "Period" })).toHaveText("All time");
  await page.getByRole("combobox", { name: "Period" }).click();
  await page.getByRole("option", { name: "Last 7 days" }).click();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]preset=last_7_days(&|$)/);
  await expect(page).toHaveURL(/[?&]area=routing(&|$)/);
  await expect(entries(page).first()).toBeVisible();
  const csv = page.getByRole("link", { name: "Download CSV" });
  await expect(csv).toHaveAttribute("href", /^\/api\/dashboard\/audit\?area=routing&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByText(/days and times in UTC\./)).toBeVisible();
  // Keyboard: the period list opens and closes from the keyboard and focus stays on it.
  await page.getByRole("combobox", { name: "Period" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("option", { name: "Custom range" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("combobox", { name: "Period" })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
});
