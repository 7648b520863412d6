import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { navItems, type NavViewer } from "./navigation";

/**
 * A role-gated page answers 403 only if it refuses before anything streams: Next sends the status
 * line as soon as a loading boundary around the page flushes (vercel/next.js#45801), so forbidden()
 * under app/(dashboard)/loading.tsx answers 200. This pins where those pages live: app/(scoped)/
 * (no route-level loading.tsx), each with a forbidden.tsx and a page that calls forbidden(). The
 * e2e spec e2e/a11y.spec.ts checks the real status per role.
 */

const root = path.resolve(import.meta.dirname, "../..");
const nobody: NavViewer = { isPlatformAdmin: false, memberships: [] };
const gated = navItems.filter((i) => !i.visibleTo(nobody));

describe("role-gated pages", () => {
  it("are the pages that some users may not open", () => {
    expect(gated.map((i) => i.href).sort()).toEqual(["/audit", "/budgets", "/keys", "/members", "/organizations", "/providers", "/statements"]);
  });

  it.each(gated.map((i) => i.href))("%s lives in app/(scoped) with forbidden.tsx and no loading boundary above it", (href) => {
    const dir = path.join(root, "app/(scoped)", href);
    const page = fs.readFileSync(path.join(dir, "page.tsx"), "utf8");
    expect(page).toMatch(/if \(!item\.visibleTo\(user\)\) forbidden\(\);/);
    expect(fs.existsSync(path.join(dir, "forbidden.tsx"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "loading.tsx"))).toBe(false);
    expect(fs.existsSync(path.join(root, "app/(scoped)/loading.tsx"))).toBe(false);
    expect(fs.existsSync(path.join(root, "app/(dashboard)", href, "page.tsx"))).toBe(false);
  });
});
