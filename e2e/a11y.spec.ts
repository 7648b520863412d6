import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { navItems, type NavItem, type NavViewer } from "../lib/auth/navigation";
import { horizontalOverflow, seriousViolations } from "./axe";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { hydrated, signIn } from "./session";

/**
 * Every page for every demo role, in the production build: the pages come from
 * lib/auth/navigation.ts (a new page is covered as soon as it is listed) plus the detail pages (a
 * call, the user's organization page, /docs). Each page a role may open answers 200 and, in light
 * and dark at 1440 and 390 px, has no serious or critical axe-core violation (WCAG 2.1 A/AA), no
 * horizontal page scroll at 390 px, and a full-page screenshot in
 * test-results/screens/a11y/<role>/<page>-<theme>-<width>.png. Every role-gated page a role may not
 * open answers HTTP 403; one of them is also checked and photographed like a page. One browser
 * context per role, one page reused for all its visits.
 */

interface Role {
  key: string;
  email: string;
  /** What lib/auth/navigation.ts's visibility rules see for this demo user (e2e/demo-users.ts). */
  viewer: NavViewer;
}

const acme = { organizationId: "acme", organizationName: "Acme Installations", organizationSlug: "acme" };

const ROLES: readonly Role[] = [
  { key: "platform-admin", email: PLATFORM_ADMIN_EMAIL, viewer: { isPlatformAdmin: true, memberships: [] } },
  { key: "org-admin", email: "orgadmin@example.com", viewer: { isPlatformAdmin: false, memberships: [{ ...acme, role: "admin" }] } },
  { key: "finance", email: "finance@example.com", viewer: { isPlatformAdmin: false, memberships: [{ ...acme, role: "finance" }] } },
  { key: "viewer", email: "viewer@example.com", viewer: { isPlatformAdmin: false, memberships: [{ ...acme, role: "viewer" }] } },
];

const WIDTHS = [1440, 390] as const;
const THEMES = ["light", "dark"] as const;
const DENIED_HEADING = "You don't have access to this page";

const slug = (href: string) => (href === "/" ? "overview" : href.slice(1).replaceAll("/", "-"));

/** A page's main heading, or (for the public /docs) the rendered API reference, is on screen. */
async function pageReady(page: Page, heading: string | RegExp | null) {
  if (heading === null) {
    await expect(page.getByTestId("api-reference").locator(".scalar-app.scalar-api-reference")).toBeVisible({ timeout: 30_000 });
    return;
  }
  await expect(page.getByRole("heading", { name: heading, level: 1 }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
  // Sections streamed in their own Suspense boundaries have replaced their skeletons.
  await expect(page.locator("main [aria-busy=true]")).toHaveCount(0, { timeout: 15_000 });
}

/**
 * The page as it is, at both widths and in both themes: no serious/critical axe violation, no
 * sideways scroll at 390 px, a screenshot of each. Leaves the page at 1440 px in the light theme.
 */
async function checkEverywhere(page: Page, role: Role, name: string, heading: string | RegExp | null) {
  const problems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    if (width === 390) {
      // Charts and tables settle after the resize (ResizeObserver); wait until nothing is wider than the phone.
      await expect.poll(() => horizontalOverflow(page), { message: `${name} at 390 px scrolls sideways`, timeout: 10_000 }).toBeLessThanOrEqual(0);
    }
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      if (theme === "dark") await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      else await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
      await pageReady(page, heading);
      problems.push(...(await seriousViolations(page)).map((v) => `${theme} ${width}px: ${v}`));
      await page.screenshot({ path: `test-results/screens/a11y/${role.key}/${name}-${theme}-${width}.png`, fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(problems, `serious or critical axe-core violations on ${name} as ${role.key}`).toEqual([]);
}

for (const role of ROLES) {
  test.describe(`as ${role.key} (${role.email})`, () => {
    test.describe.configure({ timeout: 120_000 });

    let context: BrowserContext;
    let page: Page;
    const uncaught: string[] = [];
    const allowed = navItems.filter((i) => i.visibleTo(role.viewer));
    const denied = navItems.filter((i) => !i.visibleTo(role.viewer));

    test.beforeAll(async ({ browser }) => {
      context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      page.on("pageerror", (err) => uncaught.push(err.message));
      await signIn(page, role.email);
    });

    test.afterAll(async () => {
      await context?.close();
    });

    test.beforeEach(() => {
      uncaught.length = 0;
    });

    test.afterEach(() => {
      expect(uncaught, "uncaught exceptions in the page").toEqual([]);
    });

    const visit = async (href: string, heading: string | RegExp | null, name: string) => {
      const response = await page.goto(href);
      expect(response?.status(), `${href} answers`).toBe(200);
      // /docs is Scalar (Vue, no React fiber on its controls): pageReady waits for the reference instead.
      if (heading !== null) await hydrated(page);
      await pageReady(page, heading);
      await expect(page.getByText(DENIED_HEADING)).toHaveCount(0);
      await checkEverywhere(page, role, name, heading);
    };

    for (const item of allowed) {
      test(`${item.title} (${item.href}): axe clean in light and dark at 1440 and 390 px`, async () => {
        await visit(item.href, item.title, slug(item.href));
      });
    }

    test("a call's detail page: axe clean in light and dark at 1440 and 390 px", async () => {
      await page.goto("/calls");
      const link = page.locator("main tbody tr").first().locator('a[href^="/calls/"]').first();
      const href = await link.getAttribute("href");
      expect(href).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
      await visit(href ?? "/calls", "Request", "calls-detail");
    });

    test("an organization's page: axe clean in light and dark at 1440 and 390 px", async () => {
      // The platform admin reaches it from Organizations, everyone else from "Your access" on the Overview.
      await page.goto(role.viewer.isPlatformAdmin ? "/organizations" : "/");
      const link = role.viewer.isPlatformAdmin
        ? page.locator('[data-organization="acme"] a[href^="/organizations/"]').first()
        : page.locator('main a[href^="/organizations/"]').first();
      const href = await link.getAttribute("href");
      expect(href).toMatch(/^\/organizations\/[0-9a-f-]{36}$/);
      await visit(href ?? "/", "Acme Installations", "organization-page");
    });

    if (role.viewer.isPlatformAdmin) {
      // Public and the same for everyone, so it is checked once.
      test("the API reference (/docs): axe clean in light and dark at 1440 and 390 px", async () => {
        await visit("/docs", null, "docs");
      });
    }

    if (denied.length > 0) {
      test(`role-gated pages it may not open answer 403: ${denied.map((i) => i.href).join(", ")}`, async () => {
        for (const item of denied) {
          const response = await page.request.get(item.href, { maxRedirects: 0 });
          expect(response.status(), `${item.href} for ${role.key}`).toBe(403);
          expect(await response.text()).toContain("have access to this page");
        }
      });

      const first: NavItem = denied[0]!;
      test(`the access-denied page (${first.href}): 403, axe clean in light and dark at 1440 and 390 px`, async () => {
        const response = await page.goto(first.href);
        expect(response?.status()).toBe(403);
        await hydrated(page);
        await checkEverywhere(page, role, `denied-${slug(first.href)}`, DENIED_HEADING);
      });
    }
  });
}
