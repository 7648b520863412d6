import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { DEMO_PASSWORD } from "./e2e/demo-users";

/**
 * End-to-end tests in a real Chromium against the production build on a fresh embedded
 * database. Uses the system Chromium when there is one (CI installs Debian's), else the browser
 * Playwright manages on a developer machine (`npx playwright install chromium`).
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${PORT}`;

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const executablePath = candidates.find((p): p is string => Boolean(p && fs.existsSync(p)));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: Number(process.env.E2E_TEST_TIMEOUT ?? 60_000),
  // A loaded developer machine running `next dev` may need longer (E2E_EXPECT_TIMEOUT=30000).
  expect: { timeout: Number(process.env.E2E_EXPECT_TIMEOUT ?? 5_000) },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    // A fresh embedded database each run, so the demo password and data are known.
    command: `rm -rf .data/e2e && ${process.env.E2E_SKIP_BUILD ? "" : "npm run build && "}npm run start`,
    url: `${baseURL}/api/llm/health`,
    // A production build on a busy 2-core CI machine took more than 5 min (a fresh-clone run timed
    // out at 300 s with the load average at 15): the wait covers the build, so it is generous; a
    // server that never answers still fails the run, only later.
    timeout: process.env.E2E_SKIP_BUILD ? 180_000 : 1_500_000,
    reuseExistingServer: !process.env.CI && Boolean(process.env.E2E_REUSE_SERVER),
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      PGLITE_DATA_DIR: ".data/e2e",
      DEMO_PASSWORD,
      DEMO_DAYS: "30",
      DEMO_API_KEY: process.env.E2E_DEMO_API_KEY ?? "llmcp_e2e_demo_key_0123456789",
      DATABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
    },
  },
});
