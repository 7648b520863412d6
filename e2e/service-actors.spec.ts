import fs from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { parseCsv } from "./csv";
import { hydrated, signIn } from "./session";

/**
 * Writes without a signed-in user name themselves in the audit trail (issue 12 item 7): a retrain
 * asked for through the gateway with an admin-scoped app key is recorded as "gateway"; the Audit
 * page filters by it and downloads exactly that filter as CSV. Named to run after feedback.spec.ts
 * in a whole-suite run (its retrain preview must still find changes there).
 */

/** A retrain through the gateway that changes something: the first parameters with a non-empty diff. */
async function gatewayRetrain(request: APIRequestContext, key: string): Promise<number> {
  // Fresh database: the first adds overrides. After feedback.spec.ts applied the first, the second
  // adds what a looser run finds, the third retires what falls below "high".
  for (const params of ["min_samples=2&confidence_threshold=low", "min_samples=1&confidence_threshold=low&tolerance=4", "min_samples=2&confidence_threshold=high"]) {
    const res = await request.post(`/api/admin/learning/retrain?dry_run=false&${params}`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { summary: { added: number; changed: number; retired: number } };
    const changed = body.summary.added + body.summary.changed + body.summary.retired;
    if (changed > 0) return changed;
  }
  return 0;
}

test("a gateway write is recorded as the gateway, filtered by it, and exported as CSV", async ({ page, request }) => {
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/keys");
  await hydrated(page);
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(`e2e gateway actor ${Date.now().toString(36)}`);
  await dialog.getByLabel("App").click();
  // The demo's learnable feedback (enough organizations on both models) is the Student Assistant's.
  await page.getByRole("option", { name: "Student Assistant" }).click();
  await dialog.getByRole("checkbox", { name: /^admin/ }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByRole("dialog", { name: "Your new API key" }).getByTestId("new-api-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^llmcp_/);
  await page.getByRole("dialog", { name: "Your new API key" }).getByRole("button", { name: "Done" }).click();

  // The config cache picks a new key up within its poll interval, on a busy machine later.
  await expect
    .poll(async () => (await request.get("/api/llm/v1/models", { headers: { authorization: `Bearer ${key}` } })).status(), { timeout: 30_000 })
    .toBe(200);
  const changed = await gatewayRetrain(request, key);
  expect(changed).toBeGreaterThan(0);

  await page.goto("/audit");
  await hydrated(page);
  await page.getByRole("combobox", { name: "Who" }).selectOption({ label: "gateway" });
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]actor=gateway(&|$)/);
  const entries = page.getByTestId("audit-entry");
  await expect(entries.first()).toBeVisible();
  for (const text of await entries.allInnerTexts()) expect(text).toContain("by gateway");
  await expect(page.getByRole("status").filter({ hasText: /changes? match/ })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("audit.csv");
  const rows = parseCsv(fs.readFileSync(await file.path(), "utf8"));
  expect(rows[0]).toEqual(["changed_at", "time_zone", "entry_id", "who", "who_kind", "area", "subject", "organization", "action", "field", "before", "after"]);
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows.slice(1)) {
    expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(row.slice(1, 6)).toEqual(["UTC", expect.stringMatching(/^\d+$/), "gateway", "service", "Learned route"]);
  }

  // The filtered page on a phone.
  await page.setViewportSize(PHONE);
  await page.reload();
  await hydrated(page);
  await fitsWidth(page);
  expect(await seriousViolations(page)).toEqual([]);
});

test("a viewer cannot download the audit CSV", async ({ page }) => {
  await signIn(page, "viewer@example.com");
  const res = await page.request.get("/api/dashboard/audit");
  expect(res.status()).toBe(403);
});
