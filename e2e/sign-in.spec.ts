import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, type DemoUser } from "./demo-users";
import { hydrated } from "./session";

const ADMIN_ONLY = ["API keys", "Audit", "Members"];
const EVERYONE = ["Overview", "Costs", "Completeness", "Feedback", "Routing", "Settings", "Pricing", "Calls"];

const users: DemoUser[] = [
  { email: "admin@example.com", role: "Platform admin", sees: [...EVERYONE, "Providers", ...ADMIN_ONLY], hidden: [] },
  { email: "orgadmin@example.com", role: "Admin · Acme Installations", sees: [...EVERYONE, ...ADMIN_ONLY], hidden: ["Providers"] },
  { email: "finance@example.com", role: "Finance · Acme Installations", sees: EVERYONE, hidden: ["Providers", ...ADMIN_ONLY] },
  { email: "viewer@example.com", role: "Viewer · Acme Installations", sees: EVERYONE, hidden: ["Providers", ...ADMIN_ONLY] },
];

async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  // On a dev server a click before hydration (or before HMR's one reload) is lost.
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a visitor without a session is sent to the login page, keeping where they were going", async ({ page }) => {
  await page.goto("/costs");
  await expect(page).toHaveURL(/\/login\?next=%2Fcosts$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test.describe("refused sign-ins", () => {
  const cases = [
    { name: "wrong password", email: "admin@example.com", password: "not-the-password", message: "Invalid email or password." },
    { name: "unknown user", email: "nobody@example.com", password: DEMO_PASSWORD, message: "Invalid email or password." },
  ];
  for (const c of cases) {
    test(c.name, async ({ page }) => {
      await signIn(page, c.email, c.password);
      await expect(page.getByRole("alert").filter({ hasText: c.message })).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByLabel("Email")).toHaveValue(c.email);
    });
  }
});

for (const user of users) {
  test(`${user.email} signs in and sees what a ${user.role} may`, async ({ page }) => {
    await signIn(page, user.email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await expect(page.getByText(user.email)).toBeVisible();
    await expect(page.getByText(user.role, { exact: true }).first()).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const item of user.sees) await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
    for (const item of user.hidden) await expect(nav.getByRole("link", { name: item, exact: true })).toHaveCount(0);
  });
}

test("a finance user opening an admin page by URL is refused", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/providers");
  await expect(page.getByText("You don't have access to this page")).toBeVisible();
});

test("signing in returns to the page asked for, and signing out ends the session", async ({ page }) => {
  await page.goto("/pricing");
  await expect(page).toHaveURL(/\/login\?next=%2Fpricing$/);
  await page.getByLabel("Email").fill("viewer@example.com");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("the health endpoint reports the database and providers without keys", async ({ request }) => {
  const res = await request.get("/api/llm/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", mode: "embedded", database: { status: "up" } });
  const codes = body.providers.map((p: { code: string }) => p.code).sort();
  // The demo catalog's providers (other specs may have added one in the browser).
  expect(codes).toEqual(expect.arrayContaining(["anthropic", "google", "mistral", "mock", "openai", "openrouter"]));
  for (const p of body.providers) expect(Object.keys(p).sort()).toEqual(["circuit", "code", "enabled", "key_configured", "kind"]);
});
