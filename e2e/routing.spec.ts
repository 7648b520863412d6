import { expect, test, type Page } from "@playwright/test";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { unpinnedAppKey } from "./app-key";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { hydrated, signIn, screenshots } from "./session";

/**
 * Routing rules and the route simulator in a real browser. The override test changes WVC's
 * werkbon_classification rule to the key-less mock model, proves the gateway routes the next
 * call there and the Audit page shows who changed which field from what to what, and restores
 * the original model (other specs share the database).
 */

const WVC_RULE = "Werkbon Checker · WVC · werkbon_classification · priority 200";
const ORIGINAL = "claude-sonnet-4-20250514";
const NEW_MODEL = "mock-large";

async function setWvcModel(page: Page, modelCode: string) {
  await page.getByRole("button", { name: `Edit ${WVC_RULE}` }).click();
  const dialog = page.getByRole("dialog", { name: "Edit routing rule" });
  await dialog.getByLabel("Model", { exact: true }).click();
  await page.getByRole("option", { name: new RegExp(`^${modelCode.replace(/[.]/g, "\\.")} · `) }).click();
  await dialog.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Rule saved.").first()).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-rule="WVC:werkbon_classification:200"]')).toContainText(modelCode);
}

async function routedModel(page: Page, key: string): Promise<string | null> {
  const response = await page.request.post("/api/llm/v1/chat/completions", {
    headers: { Authorization: `Bearer ${key}` },
    data: { model: "auto", messages: [{ role: "user", content: "Classificeer: lekkage" }], metadata: { action: "werkbon_classification", organization: "wvc" } },
  });
  return response.headers()["x-llm-model"] ?? null;
}

/** The newest routing-rule change on the Audit page: who made it, on which rule, and its Model before → after. */
async function latestRuleChange(page: Page) {
  await page.goto("/audit?area=routing");
  await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
  const entry = page.getByTestId("audit-entry").first();
  await expect(entry.getByRole("heading")).toHaveText(/^Routing rule .* changed$/);
  const model = entry.locator("tbody tr").filter({ has: page.locator('th:text-is("Model")') });
  await expect(model).toBeVisible();
  const [before, after] = await model.locator("td").allInnerTexts();
  return {
    who: await entry.locator("p").first().innerText(),
    record: await entry.getByRole("heading").innerText(),
    // The "Before" and "After" columns, with the models' names.
    before: before ?? "",
    after: after ?? "",
  };
}


test("the platform admin sees every rule and simulates a route with the gateway's engine", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/routing");
  await expect(page.getByRole("heading", { name: "Routing", level: 1 })).toBeVisible();
  await expect(page.locator('[data-rule="WVC:werkbon_classification:200"]')).toContainText(ORIGINAL);
  await expect(page.getByRole("button", { name: "New rule" })).toBeVisible();

  await page.getByLabel("App", { exact: true }).click();
  await page.getByRole("option", { name: "Werkbon Checker" }).click();
  await page.getByLabel("Organization", { exact: true }).click();
  await page.getByRole("option", { name: "WVC" }).click();
  await page.getByLabel("Action type").fill("werkbon_classification");
  await page.getByLabel("Sample text").fill("Classificeer: lekkage in de badkamer");
  await page.getByRole("button", { name: "Simulate" }).click();
  await expect(page.getByTestId("sim-model")).toContainText(ORIGINAL);
  await expect(page.getByTestId("sim-model")).toContainText("client override");
  await expect(page.getByRole("list", { name: "Decision trace" })).toContainText("candidates");
  await screenshots(page, "routing");
});

test("validation errors come back to the form, next to the field", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/routing");
  await page.getByRole("button", { name: `Edit ${WVC_RULE}` }).click();
  const dialog = page.getByRole("dialog", { name: "Edit routing rule" });
  await dialog.getByLabel("Priority").fill("5000");
  await dialog.getByLabel("Temperature").fill("7");
  await dialog.getByRole("button", { name: "Save rule" }).click();
  await expect(dialog.getByText("At most 1000.")).toBeVisible();
  await expect(dialog.getByText("At most 2.")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator('[data-rule="WVC:werkbon_classification:200"]')).toContainText("200");
});

test("a viewer sees the rules without edit controls", async ({ page }) => {
  await signIn(page, "viewer@example.com");
  await page.goto("/routing");
  await expect(page.getByRole("heading", { name: "Routing", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "New rule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.locator('[data-rule^="WVC:"]')).toHaveCount(0);
  await screenshots(page, "routing-viewer");
});

test("an admin changes the premium client's override; the next gateway call uses the new model and the Audit page shows the change", async ({ page, browser }) => {
  // Two edits, a gateway call and four page loads: more than the default budget on a cold dev server.
  test.slow();
  const key = await unpinnedAppKey(browser);
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/routing");
  await setWvcModel(page, NEW_MODEL);
  let change: Awaited<ReturnType<typeof latestRuleChange>> | undefined;
  try {
    // The gateway reloads configuration within a second of a change.
    await expect.poll(() => routedModel(page, key), { timeout: 3_000, intervals: [200] }).toBe(NEW_MODEL);
    change = await latestRuleChange(page);
    expect(change.who).toContain(PLATFORM_ADMIN_EMAIL);
    expect(change.before).toBe(ORIGINAL);
    expect(change.after).toBe(NEW_MODEL);
    expect(change.after).not.toBe(change.before);
    await page.screenshot({ path: "test-results/screens/audit-after-override-light.png", fullPage: true });
  } finally {
    await page.goto("/routing");
    await hydrated(page);
    await setWvcModel(page, ORIGINAL);
  }
  // Restoring is audited too: the same rule, the same field, the values swapped.
  const restore = await latestRuleChange(page);
  expect(restore.who).toContain(PLATFORM_ADMIN_EMAIL);
  expect(restore.record).toBe(change.record);
  expect([restore.before, restore.after]).toEqual([change.after, change.before]);
});

test("a rule for an action no call has used is warned about and saved only when confirmed; an override starts above the defaults", async ({ page }) => {
  test.slow();
  await signIn(page, "orgadmin@example.com");
  await page.goto("/routing");
  await hydrated(page);
  await page.getByRole("button", { name: "New rule" }).click();
  const dialog = page.getByRole("dialog", { name: "New routing rule" });
  // An organization admin's rule is an override: it starts above the defaults (100).
  await expect(dialog.getByLabel("Priority")).toHaveValue("200");
  await dialog.getByLabel("App").click();
  await page.getByRole("option", { name: "Werkbon Checker" }).click();
  const action = dialog.getByRole("combobox", { name: "Action type" });
  await action.fill("werkbon_classification");
  await expect(dialog.getByTestId("rule-action-warning")).toHaveCount(0);
  await action.fill("werkbon_clasification");
  const warning = dialog.getByTestId("rule-action-warning");
  await expect(warning).toContainText("No call of Werkbon Checker has used “werkbon_clasification”");
  await expect(warning).toContainText("rules for it never match until one does");

  // Models whose provider has no key on this server are marked in the picker.
  await dialog.getByLabel("Model", { exact: true }).click();
  await expect(page.getByRole("option", { name: "claude-sonnet-4-20250514 · anthropic (no key)" })).toBeVisible();
  await page.getByRole("option", { name: "mock-small · mock", exact: true }).click();
  await dialog.getByLabel("Priority").fill("777");

  expect(await seriousViolations(page)).toEqual([]);
  // Without the confirmation the server refuses it too.
  await dialog.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Confirm the unknown action to save this rule.").first()).toBeVisible();
  await expect(dialog).toBeVisible();
  await warning.getByLabel("Save it anyway").check();
  await dialog.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByText("Rule created.").first()).toBeVisible();
  const row = page.locator('[data-rule="Acme Installations:werkbon_clasification:777"]');
  await expect(row).toBeVisible();

  // Restore the shared database.
  await row.getByRole("button", { name: /^Delete / }).click();
  await page.getByRole("button", { name: "Delete rule" }).click();
  await expect(row).toHaveCount(0);
});

test("the platform admin's override of a default starts at 200; a default at 100", async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/routing");
  await hydrated(page);
  await page.getByRole("button", { name: "New rule" }).click();
  const dialog = page.getByRole("dialog", { name: "New routing rule" });
  await expect(dialog.getByLabel("Priority")).toHaveValue("100");
  await dialog.getByLabel("Organization").click();
  await page.getByRole("option", { name: "WVC" }).click();
  await expect(dialog.getByLabel("Priority")).toHaveValue("200");
  await dialog.getByLabel("Organization").click();
  await page.getByRole("option", { name: "Default (every organization)" }).click();
  await expect(dialog.getByLabel("Priority")).toHaveValue("100");
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("the simulator says a real call would fail when the chosen provider has no key; axe and 390 px", async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.setViewportSize(PHONE);
  await page.goto("/routing");
  await hydrated(page);
  await page.getByLabel("App", { exact: true }).click();
  await page.getByRole("option", { name: "Werkbon Checker" }).click();
  await page.getByLabel("Organization", { exact: true }).click();
  await page.getByRole("option", { name: "WVC" }).click();
  await page.getByLabel("Action type").fill("werkbon_classification");
  await page.getByRole("button", { name: "Simulate" }).click();
  await expect(page.getByTestId("sim-model")).toContainText(ORIGINAL);
  await expect(page.getByTestId("sim-model")).toContainText("no key");
  await expect(page.getByTestId("sim-readiness")).toContainText("provider anthropic has no key (env var ANTHROPIC_API_KEY not set)");
  await fitsWidth(page);
  expect(await seriousViolations(page)).toEqual([]);
});
