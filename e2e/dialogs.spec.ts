import { expect, test, type Locator, type Page } from "@playwright/test";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { seriousViolations } from "./axe";
import { hydrated, signIn } from "./session";

/**
 * Every admin dialog, opened from its page as a platform admin: axe-core (WCAG 2.1 A/AA) finds no
 * serious or critical violation inside the open dialog, Escape closes it without saving, and focus
 * returns to the button that opened it. Nothing is submitted.
 */

interface DialogCase {
  name: string;
  path: string;
  opener: (page: Page) => Locator;
  /** The dialog's accessible name (its title). */
  title: string | RegExp;
  /** Extra checks while it is open. */
  check?: (dialog: Locator, page: Page) => Promise<void>;
}

const CASES: DialogCase[] = [
  { name: "add price", path: "/pricing", opener: (p) => p.getByRole("button", { name: "Add price", exact: true }), title: "Add price" },
  { name: "add model", path: "/pricing", opener: (p) => p.getByRole("button", { name: "Add model", exact: true }), title: "Add model" },
  { name: "routing rule edit", path: "/routing", opener: (p) => p.getByRole("button", { name: /^Edit Werkbon Checker · / }).first(), title: "Edit routing rule" },
  { name: "routing rule new", path: "/routing", opener: (p) => p.getByRole("button", { name: "New rule" }), title: "New routing rule" },
  { name: "setting edit", path: "/settings", opener: (p) => p.getByRole("button", { name: "Edit confidence_threshold (global)" }), title: "Edit confidence_threshold" },
  {
    name: "setting override", path: "/settings",
    opener: (p) => p.locator('[data-key="confidence_threshold"]').getByRole("button", { name: "Add override" }),
    title: "Override confidence_threshold",
  },
  { name: "key create", path: "/keys", opener: (p) => p.getByRole("button", { name: "Create key" }), title: "Create API key" },
  { name: "key revoke", path: "/keys", opener: (p) => p.getByRole("button", { name: /^Revoke / }).first(), title: /^Revoke “.+”\?$/ },
  { name: "member invite", path: "/members", opener: (p) => p.getByRole("button", { name: "Add member" }), title: "Add member" },
  { name: "budget edit", path: "/budgets", opener: (p) => p.getByRole("button", { name: "Edit budget of Acme Installations" }), title: /Budget of Acme Installations/ },
  { name: "organization add", path: "/organizations", opener: (p) => p.getByRole("button", { name: "Add organization" }), title: "Add organization" },
  { name: "organization edit", path: "/organizations", opener: (p) => p.getByRole("button", { name: /^Edit organization / }).first(), title: /^Edit / },
  {
    name: "app add", path: "/organizations", opener: (p) => p.getByRole("button", { name: "Add app" }), title: "Add app",
    // The baseline model picker marks models whose provider cannot serve a call here (no key on this server).
    check: async (dialog, page) => {
      await dialog.getByLabel("Baseline model").click();
      await expect(page.getByRole("option", { name: /\(no key\)$/ }).first()).toBeVisible();
      expect(await seriousViolations(page, '[role="listbox"]')).toEqual([]);
      await page.keyboard.press("Escape");
      await expect(dialog).toBeVisible();
    },
  },
  { name: "app edit", path: "/organizations", opener: (p) => p.getByRole("button", { name: /^Edit app / }).first(), title: /^Edit / },
];

test.describe("admin dialogs", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, PLATFORM_ADMIN_EMAIL);
  });

  for (const c of CASES) {
    test(`${c.name}: no serious axe violation, Escape closes, focus returns to the opener`, async ({ page }) => {
      await page.goto(c.path);
      await hydrated(page);
      const opener = c.opener(page);
      await opener.scrollIntoViewIfNeeded();
      await opener.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: c.title });
      await expect(dialog).toBeVisible();
      // Wait for the open animation to end, so axe sees the final colours.
      await expect(dialog).toHaveAttribute("data-state", "open");
      await expect.poll(() => dialog.evaluate((el) => el.getAnimations().length)).toBe(0);
      expect(await seriousViolations(page, '[role="dialog"]')).toEqual([]);
      if (c.check) await c.check(dialog, page);
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(opener).toBeFocused();
    });
  }
});
