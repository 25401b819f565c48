import type { Page, Request } from "@playwright/test";
import { comparisonDtoSchema } from "@/lib/queries/compare";
import { formatValue } from "@/components/overview/format-metric";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";

/** API requests the page makes from now on, by path (the browser's own fetches, after hydration). */
function recordApiRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) seen.push(`${url.pathname}${url.search}`);
  });
  return seen;
}

test("Overview compares the cohorts with the API's numbers and sentences, side by side", async ({ page, request }) => {
  test.setTimeout(240_000);
  await waitForIdleSandbox(request);
  const response = await request.get("/api/metrics/compare");
  expect(response.status()).toBe(200);
  const comparison = comparisonDtoSchema.parse(await response.json());
  expect(comparison.cohorts.devops.activeServiceCount).toBeGreaterThan(0);
  expect(comparison.cohorts.gitops.activeServiceCount).toBeGreaterThan(0);

  const requests = recordApiRequests(page);
  await gotoAndSettle(page, "/");
  const board = page.getByTestId("comparison-board");
  await expect(board).toBeVisible();
  // First paint has real numbers: the comparison came with the HTML, not from a browser fetch.
  expect(requests.filter((path) => path.startsWith("/api/metrics/compare"))).toEqual([]);

  for (const metric of comparison.metrics) {
    const card = board.locator(`[data-metric="${metric.id}"]`);
    await expect(card.getByRole("heading", { name: metric.label })).toBeVisible();
    // The sentence a person quotes is the API's (and the CLI's) word for word.
    await expect(card.getByTestId("comparison-sentence")).toHaveText(metric.sentence);
    await expect(card).toHaveAttribute("data-effect-status", metric.effect.status);
    for (const cohort of ["devops", "gitops"] as const) {
      const value = metric[cohort].value;
      const cell = card.locator(`[data-cohort="${cohort}"]`);
      if (cohort === "devops" && metric.id === "syncLag") await expect(cell).toContainText("Not applicable");
      else if (value === null) await expect(cell).toContainText("No data");
      else await expect(cell.locator("[data-value]")).toContainText(formatValue(metric.unit, value).value);
      if (metric[cohort].provisional && value !== null) await expect(cell).toContainText("provisional");
    }
    if (metric.effect.status === "compared") await expect(card.getByTestId("effect-plot")).toBeVisible();
  }

  // Side by side at 1280 px: the DevOps and GitOps values of a metric share a row.
  const frequency = board.locator('[data-metric="deploymentFrequency"]');
  const [devopsBox, gitopsBox] = await Promise.all([
    frequency.locator('[data-cohort="devops"]').boundingBox(),
    frequency.locator('[data-cohort="gitops"]').boundingBox(),
  ]);
  expect(devopsBox && gitopsBox && Math.abs(devopsBox.y - gitopsBox.y) < 2 && devopsBox.x < gitopsBox.x).toBe(true);

  // Each source's freshness is named.
  await expect(page.getByTestId("source-freshness")).toContainText(/GitHub\s*\(sandbox\)\s*synced/);
  // With deployments ingested, the getting-started card steps aside; definitions stay readable as text.
  await expect(page.getByRole("heading", { name: "No delivery metrics yet" })).toHaveCount(0);
  const glossary = page.getByRole("region", { name: "How each metric is measured" });
  await expect(glossary.getByText(/Elite ≤ 5 %/)).toBeVisible();
});

test("changing a filter updates the URL and refetches only what depends on it", async ({ page, request }) => {
  test.setTimeout(180_000);
  await waitForIdleSandbox(request);
  await gotoAndSettle(page, "/");
  const requests = recordApiRequests(page);

  await page.getByLabel("Time range").selectOption("30");
  await expect(page).toHaveURL(/[?&]days=30\b/);
  const sentence = page.locator('[data-metric="deploymentFrequency"]').getByTestId("comparison-sentence");
  await expect(sentence).toContainText("over the last 30 days");
  const expected = comparisonDtoSchema.parse(await (await request.get("/api/metrics/compare?days=30")).json());
  await expect(sentence).toHaveText(expected.metrics.find((metric) => metric.id === "deploymentFrequency")!.sentence);
  // The filter choices and the source freshness do not depend on the window: not fetched again.
  expect(requests.some((path) => path.startsWith("/api/metrics/compare?days=30"))).toBe(true);
  expect(requests.filter((path) => path.startsWith("/api/metrics/filters"))).toEqual([]);

  // Teams from the keyboard: open the picker, tick the first team with Space, close with Escape.
  const teams = page.getByRole("button", { name: /^Teams/ });
  await teams.focus();
  await page.keyboard.press("Enter");
  await expect(teams).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Tab");
  const first = page.getByRole("group", { name: "Teams" }).getByRole("checkbox").first();
  await expect(first).toBeFocused();
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/[?&]team=[a-z0-9-]+/);
  await page.keyboard.press("Escape");
  await expect(teams).toHaveAttribute("aria-expanded", "false");
  await expect(teams).toBeFocused();
  const team = new URL(page.url()).searchParams.get("team")!;
  const filtered = comparisonDtoSchema.parse(await (await request.get(`/api/metrics/compare?days=30&team=${team}`)).json());
  await expect(page.getByTestId("comparison-summary")).toContainText(`${filtered.cohorts.devops.activeServiceCount} services`);
  // Back returns to the unfiltered view (the URL is the state).
  await page.goBack();
  await expect(page).not.toHaveURL(/team=/);
});

test("a metric's definition tooltip opens from the keyboard", async ({ page }) => {
  await gotoAndSettle(page, "/");
  const board = page.getByTestId("comparison-board");
  // Radix closes a tooltip when the page scrolls under its trigger, and focusing a trigger below the
  // fold scrolls: bring both into view first (a reader sees the definition in the glossary as text too).
  await board.locator('[data-metric="changeFailRate"]').scrollIntoViewIfNeeded();
  // Radix opens tooltips on keyboard focus only (not on programmatic focus), so arrive with Tab.
  await board.getByRole("button", { name: "Definition of Lead time for changes" }).focus();
  await page.keyboard.press("Tab");
  await expect(board.getByRole("button", { name: "Definition of Change fail rate" })).toBeFocused();
  const tooltip = page.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("Failed changes divided by successful deployments");
  await page.keyboard.press("Escape");
  await expect(tooltip).toHaveCount(0);
});

test("a bad filter in the URL is dropped, not an error page", async ({ page }) => {
  await gotoAndSettle(page, "/?days=abc&environment=,,");
  await expect(page.getByTestId("comparison-board")).toBeVisible();
  await expect(page.getByLabel("Time range")).toHaveValue("90");
});
