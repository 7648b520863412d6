import { expect as baseExpect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./demo-users";
import { hydrated, screenshots } from "./session";

/**
 * Members: the platform admin adds an existing demo user to another organization, changes the
 * role and removes it again (so the demo data ends as it began); the lock-out guard answers in
 * the table; an org admin sees only their organization; a viewer has neither the link nor the page.
 */

// Several sign-ins, server actions and dev-server renders per test on a shared two-core machine.
test.describe.configure({ timeout: 180_000 });
const expect = baseExpect.configure({ timeout: 15_000 });

const NEWCOMER = "finance@example.com";
const ORG = "Globex Services";

/**
 * Signs in straight to /members (the login form's `next`), skipping the Overview, whose charts
 * over every organization take the admin's first render past the shared helper's 5 s on a busy machine.
 */
async function signInToMembers(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login?next=%2Fmembers");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/members$/, { timeout: 20_000 });
}

/** Removes the membership through the UI; also used to clean up after an interrupted earlier run. */
async function removeMembership(page: Page, email: string, org: string) {
  await page.locator(`[data-member="${email} ${org}"]`).getByRole("button", { name: `Remove ${email} (${org})` }).click();
  await page.getByRole("dialog", { name: `Remove ${email}?` }).getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByText(`${email} removed from ${org}.`).first()).toBeVisible();
  await expect(page.locator(`[data-member="${email} ${org}"]`)).toHaveCount(0);
}

test("the platform admin adds an existing user to another organization, changes the role and removes it", async ({ page }) => {
  await signInToMembers(page, "admin@example.com");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await expect(page.locator('[data-member="admin@example.com Platform"]')).toBeVisible();
  await expect(page.locator('[data-member="orgadmin@example.com Acme Installations"]')).toBeVisible();
  if ((await page.locator(`[data-member="${NEWCOMER} ${ORG}"]`).count()) > 0) await removeMembership(page, NEWCOMER, ORG);

  await page.getByRole("button", { name: "Add member" }).click();
  const dialog = page.getByRole("dialog", { name: "Add member" });
  // Errors come back to the form: first the schema's, then the database's.
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(dialog.getByText("Enter an email address.")).toBeVisible();
  await dialog.getByLabel("Email").fill("nobody@example.com");
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(dialog.getByText("No user with this email; they must sign in once or be created first.")).toBeVisible();

  await dialog.getByLabel("Email").fill(NEWCOMER);
  await dialog.getByLabel("Organization").click();
  await page.getByRole("option", { name: ORG }).click();
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator(`[data-member="${NEWCOMER} ${ORG}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByLabel(`Role of ${NEWCOMER} (${ORG})`)).toHaveText("Viewer");

  // The same membership twice is refused with a clear message.
  await page.getByRole("button", { name: "Add member" }).click();
  await dialog.getByLabel("Email").fill(NEWCOMER);
  await dialog.getByLabel("Organization").click();
  await page.getByRole("option", { name: ORG }).click();
  await dialog.getByRole("button", { name: "Add member" }).click();
  await expect(dialog.getByText(`${NEWCOMER} is already a member of this organization`)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await row.getByLabel(`Role of ${NEWCOMER} (${ORG})`).click();
  await page.getByRole("option", { name: "Finance" }).click();
  await expect(page.getByText(`${NEWCOMER} is now finance (${ORG}).`).first()).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(row.getByLabel(`Role of ${NEWCOMER} (${ORG})`)).toHaveText("Finance");

  // The filter narrows the table to one organization.
  await page.getByRole("navigation", { name: "Filter by organization" }).getByRole("link", { name: ORG }).click();
  await expect(page).toHaveURL(/\/members\?org=/);
  await expect(page.getByText(`Members: ${ORG}`)).toBeVisible();
  await expect(page.locator("[data-member]")).toHaveCount(1);
  await screenshots(page, "members-filtered");

  // The last platform admin cannot demote themselves: the database refuses, the row says why.
  await page.goto("/members");
  await hydrated(page);
  const own = page.locator('[data-member="admin@example.com Platform"]');
  await own.getByLabel("Role of admin@example.com (Platform)").click();
  await page.getByRole("option", { name: "Viewer" }).click();
  await expect(own.getByRole("alert")).toHaveText("This is the last platform admin: make someone else a platform admin first.");
  await expect(own.getByLabel("Role of admin@example.com (Platform)")).toHaveText("Admin");
  await screenshots(page, "members");

  await removeMembership(page, NEWCOMER, ORG);
  await expect(page.locator(`[data-member="${NEWCOMER} Acme Installations"]`)).toBeVisible();
});

test("the platform admin creates a local user whose password is shown once and signs in", async ({ page, browser }) => {
  await signInToMembers(page, "admin@example.com");
  await hydrated(page);
  const email = `e2e.user.${Date.now()}@example.com`;
  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Email").fill("admin@example.com");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog.getByText("A user with this email already exists")).toBeVisible();
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByRole("button", { name: "Create user" }).click();
  const reveal = page.getByRole("dialog", { name: "User created" });
  await expect(reveal.getByText("it will not be shown again")).toBeVisible();
  const password = (await reveal.getByTestId("new-user-password").textContent())?.trim() ?? "";
  expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await screenshots(page, "members-user-created");
  await reveal.getByRole("button", { name: "Done" }).click();

  // The new account signs in (no role yet, so it sees no organization's data).
  const context = await browser.newContext();
  const other = await context.newPage();
  await signInToMembers(other, email, password);
  // No membership yet: the page refuses them like any non-admin.
  await expect(other.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await context.close();
});

test("an org admin sees only their organization's members", async ({ page }) => {
  await signInToMembers(page, "orgadmin@example.com");
  await hydrated(page);
  const rows = page.locator("[data-member]");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-member") ?? ""))) {
    expect(text).toMatch(/ Acme Installations$/);
  }
  await expect(page.getByText("admin@example.com", { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Add member" }).click();
  const dialog = page.getByRole("dialog", { name: "Add member" });
  await dialog.getByLabel("Organization").click();
  await expect(page.getByRole("option")).toHaveText(["Acme Installations"]);
  await page.keyboard.press("Escape");
  await screenshots(page, "members-orgadmin");
});

test("a viewer has no Members link and gets the access-denied view", async ({ page }) => {
  await page.goto("/login?next=%2Fmembers");
  await hydrated(page);
  await page.getByLabel("Email").fill("viewer@example.com");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/members$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(page.locator("[data-member]")).toHaveCount(0);
  await expect(page.getByRole("navigation").getByRole("link", { name: "Members" })).toHaveCount(0);
  await expect(page.getByRole("navigation").getByRole("link", { name: "Overview" }).first()).toBeVisible();
});
