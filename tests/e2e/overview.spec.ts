import type { CohortMetricsDto } from "@/lib/queries/metrics";
import { formatHours, formatPerDay, formatRate } from "@/components/overview/format-metric";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";

test("Overview compares the cohorts with the API's numbers, and says no data where there is none", async ({ page, request }) => {
  test.setTimeout(240_000);
  await waitForIdleSandbox(request);
  const response = await request.get("/api/metrics");
  expect(response.status()).toBe(200);
  const metrics = (await response.json()) as { cohorts: Record<"devops" | "gitops", CohortMetricsDto> };
  const devopsValues = metrics.cohorts.devops;
  expect(devopsValues.activeServiceCount).toBeGreaterThan(0);

  await gotoAndSettle(page, "/");
  const devops = page.getByRole("region", { name: /DevOps \(push-based\)/ });
  const gitops = page.getByRole("region", { name: /GitOps \(pull-based\)/ });
  await expect(devops).toBeVisible();
  await expect(gitops).toBeVisible();

  // Side by side: the two cohort cards share a row at the 1280px viewport.
  const [devopsBox, gitopsBox] = await Promise.all([devops.boundingBox(), gitops.boundingBox()]);
  expect(devopsBox && gitopsBox && Math.abs(devopsBox.y - gitopsBox.y) < 2 && devopsBox.x < gitopsBox.x).toBe(true);

  // The DevOps card shows the API's cohort values (the sandbox's push-based half).
  const stat = (label: string) => devops.locator("dt", { hasText: new RegExp(`^${label}`) }).locator("xpath=following-sibling::dd[1]");
  await expect(stat("Deployment frequency")).toContainText(formatPerDay(devopsValues.deploymentsPerDay!).value);
  await expect(stat("Lead time for changes")).toContainText(formatHours(devopsValues.leadTimeMedianHours!).value);
  await expect(stat("Change fail rate")).toContainText(`${formatRate(devopsValues.changeFailRate!).value}%`);
  await expect(stat("Deployment success rate")).toContainText(`${formatRate(devopsValues.deploymentSuccessRate!).value}%`);
  await expect(devops.getByText("Not applicable")).toHaveCount(1);
  // With deployments ingested, the getting-started card steps aside.
  await expect(page.getByRole("heading", { name: "No delivery metrics yet" })).toHaveCount(0);

  // No GitOps deployment is ingested yet: every GitOps value is "no data", never a zero.
  await expect(gitops.getByText("No data yet")).toHaveCount(7);
  const gitopsValues = await gitops.locator("[data-stat-value]").allInnerTexts();
  expect(gitopsValues.filter((value) => /\d/.test(value))).toEqual([]);

  // The definitions are readable text, not only tooltips.
  const glossary = page.getByRole("region", { name: "How each metric is measured" });
  await expect(glossary.getByText("Change fail rate", { exact: true })).toBeVisible();
  await expect(glossary.getByText(/Elite ≤ 5 %/)).toBeVisible();
});

test("a metric's definition tooltip opens from the keyboard", async ({ page }) => {
  await gotoAndSettle(page, "/");
  const devops = page.getByRole("region", { name: /DevOps \(push-based\)/ });
  // Radix opens tooltips on keyboard focus only (not on programmatic focus), so arrive with Tab.
  await devops.getByRole("button", { name: "Definition of Lead time for changes" }).focus();
  await page.keyboard.press("Tab");
  await expect(devops.getByRole("button", { name: "Definition of Change fail rate" })).toBeFocused();
  const tooltip = page.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("Failed changes divided by successful deployments");
  await page.keyboard.press("Escape");
  await expect(tooltip).toHaveCount(0);
});

test("the empty states say how to connect a source", async ({ page }) => {
  for (const path of ["/drift", "/approvals", "/audit"]) {
    await gotoAndSettle(page, path);
    const main = page.getByRole("main");
    await expect(main.getByText("npm start -- --sandbox").first()).toBeVisible();
    await expect(main.getByRole("link", { name: /Configure integrations|Open Settings/ })).toHaveAttribute("href", "/settings");
  }
});
