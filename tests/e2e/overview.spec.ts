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

  // The GitOps card shows the API's GitOps values (Argo CD and Flux deployments, drift, sync lag);
  // where the API has none it says "no data", never a zero.
  const gitopsValues = metrics.cohorts.gitops;
  expect(gitopsValues.activeServiceCount).toBeGreaterThan(0);
  const gitopsStat = (label: string) => gitops.locator("dt", { hasText: new RegExp(`^${label}`) }).locator("xpath=following-sibling::dd[1]");
  await expect(gitopsStat("Deployment frequency")).toContainText(formatPerDay(gitopsValues.deploymentsPerDay!).value);
  await expect(gitopsStat("Deployment success rate")).toContainText(`${formatRate(gitopsValues.deploymentSuccessRate!).value}%`);
  const shownOrMissing: [string, number | null, (value: number) => string][] = [
    ["Sync lag", gitopsValues.syncLagMedianHours, (value) => formatHours(value).value],
    ["Time in sync", gitopsValues.timeInSyncRatio, (value) => `${formatRate(value).value}%`],
    ["Time to reconcile drift", gitopsValues.driftMedianHoursToReconcile, (value) => formatHours(value).value],
    ["Drift episodes", gitopsValues.driftEpisodesPer30Days, (value) => value.toFixed(1)],
  ];
  for (const [label, value, format] of shownOrMissing) {
    if (value === null) await expect(gitopsStat(label)).toContainText("No data yet");
    else await expect(gitopsStat(label)).toContainText(format(value));
  }
  // Sync lag is GitOps only: the DevOps card says so instead of showing a number.
  await expect(stat("Sync lag")).toContainText("Not applicable");

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
  // The Drift page has its own empty state (tests/e2e/drift.spec.ts); the sandbox fills it here.
  for (const path of ["/approvals", "/audit"]) {
    await gotoAndSettle(page, path);
    const main = page.getByRole("main");
    await expect(main.getByText("npm start -- --sandbox").first()).toBeVisible();
    await expect(main.getByRole("link", { name: /Configure integrations|Open Settings/ })).toHaveAttribute("href", "/settings");
  }
});
