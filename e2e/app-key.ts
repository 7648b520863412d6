import fs from "node:fs";
import path from "node:path";
import { expect, type Browser } from "@playwright/test";
import { hydrated, signIn } from "./session";

/**
 * An unpinned Werkbon Checker key for specs that call the gateway for named organizations (WVC,
 * Globex, a client added in the browser). The seeded DEMO_API_KEY is pinned to the sandbox
 * organization, as a demo key should be, so such specs mint their own key the way an admin does:
 * on the API keys page, once per run (the database is fresh each run; the key is cached in a file
 * beside the run's results, and the e2e suite runs in one worker).
 */
const CACHE = path.join("test-results", ".e2e-app-key");

export async function unpinnedAppKey(browser: Browser): Promise<string> {
  const cached = readCache();
  if (cached) return cached;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, "admin@example.com");
    await page.goto("/keys");
    await hydrated(page);
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create API key" });
    await dialog.getByLabel("Name").fill(`e2e unpinned ${Date.now().toString(36)}`);
    await dialog.getByLabel("App").click();
    await page.getByRole("option", { name: "Werkbon Checker" }).click();
    await dialog.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByRole("dialog", { name: "Your new API key" }).getByTestId("new-api-key").textContent())?.trim() ?? "";
    expect(key).toMatch(/^llmcp_[0-9A-Za-z]{32}$/);
    // The gateway's configuration cache learns of the key within a second.
    await expect
      .poll(async () => (await page.request.get("/api/llm/v1/models", { headers: { Authorization: `Bearer ${key}` } })).status(), { timeout: 15_000 })
      .toBe(200);
    fs.mkdirSync(path.dirname(CACHE), { recursive: true });
    fs.writeFileSync(CACHE, JSON.stringify({ key, server: serverStamp() }));
    return key;
  } finally {
    await context.close();
  }
}

/** The cache belongs to one server run: the web server's data dir is recreated every run. */
function serverStamp(): string {
  try {
    return String(fs.statSync(".data/e2e").birthtimeMs || fs.statSync(".data/e2e").ctimeMs);
  } catch {
    return "none";
  }
}

function readCache(): string | null {
  try {
    const { key, server } = JSON.parse(fs.readFileSync(CACHE, "utf8")) as { key?: string; server?: string };
    return key && server === serverStamp() ? key : null;
  } catch {
    return null;
  }
}
