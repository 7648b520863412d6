import { expect, test } from "@playwright/test";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Feedback: totals, score distribution, feedback by model and pattern, learned overrides, retrain
 * runs and the learning switch. The platform admin previews a retrain (a diff, nothing written),
 * then applies it and sees the run listed; a viewer sees the data without the retrain controls.
 * The parameters are loose (2 samples, low confidence) so the 30-day demo ledger yields a diff.
 */

test("a platform admin previews a retrain, applies it and sees the run", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/feedback");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Feedback", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Feedback by model" }).locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Feedback by query pattern" }).locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("figure", { name: /Ratings per score from 1 to 5/ })).toBeVisible();
  await expect(page.getByTestId("learning-enabled")).toHaveText(/^(on|off)$/);

  const panel = page.getByRole("form", { name: "Retrain" });
  // Validation errors come back from the server action next to the field.
  await panel.getByLabel("Minimum samples").fill("0");
  await panel.getByRole("button", { name: "Preview (dry run)" }).click();
  await expect(page.getByText("At least 1 sample.")).toBeVisible();

  await panel.getByLabel("Minimum samples").fill("2");
  await panel.getByLabel("Confidence threshold").click();
  await page.getByRole("option", { name: "low" }).click();
  const runsBefore = await page.getByRole("table", { name: "Retrain runs" }).locator("tbody tr").count();
  await panel.getByRole("button", { name: "Preview (dry run)" }).click();
  const preview = page.getByRole("region", { name: "Retrain preview" });
  await expect(preview).toContainText("Preview (dry run): nothing was changed");
  const changes = preview.getByRole("table", { name: "Retrain changes" }).locator("tbody tr");
  await expect(changes.first()).toBeVisible();
  await expect(changes.first()).toContainText("→");
  await expect(changes.first()).toContainText(/n=\d+, avg \d\.\d\d/);
  await screenshots(page, "feedback");

  // Nothing was recorded by the preview.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("table", { name: "Retrain runs" }).locator("tbody tr")).toHaveCount(runsBefore);

  await panel.getByLabel("Minimum samples").fill("2");
  await panel.getByLabel("Confidence threshold").click();
  await page.getByRole("option", { name: "low" }).click();
  await panel.getByRole("button", { name: "Apply…" }).click();
  const dialog = page.getByRole("dialog", { name: "Apply the retrain?" });
  await dialog.getByRole("button", { name: "Apply retrain" }).click();
  await expect(dialog).toBeHidden();
  const result = page.getByRole("region", { name: "Retrain result" });
  await expect(result).toContainText("Applied in run");
  const runId = ((await result.locator("h3").textContent()) ?? "").replace("Applied in run ", "").trim();
  expect(runId).toMatch(/^[0-9a-f]{8}$/);
  const run = page.getByRole("table", { name: "Retrain runs" }).locator("tbody tr", { hasText: runId });
  await expect(run).toContainText("you");
  await expect(run).toContainText("succeeded");
  // The preview's additions are now active overrides of this run.
  const added = page.getByRole("table", { name: "Learned overrides" }).locator("tbody tr", { hasText: runId });
  await expect(added.first()).toContainText("active");
  await expect(page.getByTestId("learning-active")).not.toHaveText("0");
});

test("a viewer sees the feedback data but no retrain controls", async ({ page }) => {
  await signIn(page, "viewer@example.com");
  await page.goto("/feedback");
  await hydrated(page);
  await expect(page.getByRole("table", { name: "Feedback by model" }).locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("figure", { name: /Ratings per score from 1 to 5/ })).toBeVisible();
  await expect(page.getByTestId("feedback-total")).not.toHaveText("0");
  await expect(page.getByRole("form", { name: "Retrain" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Preview|Apply…/ })).toHaveCount(0);
  // Learned overrides are shared routing, visible to every member; retrain runs are not.
  await expect(page.getByText("Learned overrides", { exact: true })).toBeVisible();
  await expect(page.getByText("No retrain runs you can see yet.")).toBeVisible();
  await screenshots(page, "feedback-viewer");
});
