import fs from "node:fs";
import { createRequire } from "node:module";
import { expect, type Page } from "@playwright/test";

/** axe-core in a page (WCAG 2.1 A/AA), and the page-width check every dashboard spec shares. */

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/**
 * The serious and critical violations on the whole page, or inside `selector` (an open dialog), as
 * readable lines (empty = pass). axe is injected once per document.
 */
export async function seriousViolations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (ctx: Element | Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const context = sel ? (document.querySelector(sel) ?? document) : document;
    const result = await axe.run(context, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return result.violations;
  }, selector);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(", ")}`);
}

/** How far the page scrolls sideways (0 = it fits the viewport). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // Charts (recharts' ResponsiveContainer) re-measure a frame or more after a resize, so a reading
  // right after setViewportSize can still see the old width: wait (bounded) for the page to fit,
  // then read. A page that really overflows still reads > 0.
  await page
    .waitForFunction(() => document.documentElement.scrollWidth - window.innerWidth <= 0, null, { timeout: 5_000 })
    .catch(() => undefined);
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The page does not scroll sideways at the current viewport width. */
export async function fitsWidth(page: Page) {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
}

export const PHONE = { width: 390, height: 844 };
