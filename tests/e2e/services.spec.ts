import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import type { MetricsDto, ServiceMetricsDto } from "@/lib/queries/metrics";
import type { ServiceDeploymentsDto, ServiceListDto } from "@/lib/queries/services";
import { formatHours, formatPerDay, formatPercent } from "@/components/services/format-metrics";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A settled window: 30 days ending 8 days before today (UTC midnight), so nothing in it is
 * provisional and the live sandbox's new deployments cannot fall into it while the test runs.
 */
function settledWindow(): { from: string; to: string } {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const to = today - 8 * DAY_MS;
  return { from: new Date(to - 30 * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"];

async function expectNoSeriousAxeViolation(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ rule: violation.id, help: violation.help, targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")) }));
  expect(blocking).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(10);
}

const text = (value: number | null, format: (value: number) => string) => (value === null ? "—" : format(value));

/** What each metric column shows for a service, printed from the metrics API's numbers. */
function expectedCells(service: ServiceMetricsDto): Record<string, string> {
  return {
    deploymentsPerDay: text(service.deploymentsPerDay, formatPerDay),
    leadTime: text(service.leadTimeMedianHours, formatHours),
    changeFailRate: text(service.changeFailRate, formatPercent),
    recoveryTime: text(service.recoveryTimeMedianHours, formatHours),
    reworkRate: text(service.reworkRate, formatPercent),
    successRate: text(service.deploymentSuccessRate, formatPercent),
  };
}

test.describe("services", () => {
  test.beforeEach(async ({ request }) => {
    test.setTimeout(240_000);
    await waitForIdleSandbox(request);
  });

  test("the table lists every sandbox service with the metrics API's numbers for the same window", async ({ page, request }) => {
    const window = settledWindow();
    const metrics = (await (await request.get(`/api/metrics?from=${window.from}&to=${window.to}`)).json()) as MetricsDto;
    expect(metrics.services.length).toBeGreaterThan(20);

    await gotoAndSettle(page, `/services?from=${window.from}&to=${window.to}&pageSize=100`);
    const table = page.getByTestId("services-table");
    await expect(table.locator("tbody tr")).toHaveCount(metrics.services.length);
    for (const service of metrics.services) {
      const row = table.locator(`tr[data-service="${service.slug}"]`);
      await expect(row.getByRole("link", { name: service.name })).toHaveAttribute("href", `/services/${service.slug}`);
      for (const [column, expected] of Object.entries(expectedCells(service))) {
        const cell = row.locator(`[data-column="${column}"]`);
        const value = expected === "—" ? cell : cell.locator("[data-value]");
        await expect(value, `${service.slug} ${column}`).toContainText(expected);
      }
      if (service.tiers.changeFailRate) await expect(row.locator('[data-column="changeFailRate"]')).toContainText(new RegExp(service.tiers.changeFailRate, "i"));
    }
    await page.screenshot({ path: "test-results/screenshots/services-table.png", fullPage: true });
  });

  test("at 1280 px the table fits without scrolling sideways, every DORA metric with its tier and provisional mark in view", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    // The default window ends now, so recent values are provisional; a year's window has the most weeks of bars.
    for (const path of ["/services?pageSize=100", "/services?pageSize=100&days=365"]) {
      await gotoAndSettle(page, path);
      const table = page.getByTestId("services-table");
      await expect(table.locator("tbody tr").first()).toBeVisible();
      const scroller = table.locator("xpath=..");
      const fit = await scroller.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
      expect(fit.scrollWidth, `${path}: the table's scroll width`).toBeLessThanOrEqual(fit.clientWidth);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path}: the page's scroll width`).toBeLessThanOrEqual(1280);

      const right = (await scroller.boundingBox())!.x + fit.clientWidth;
      const inView = async (locator: Locator, what: string) => {
        await expect(locator, what).toBeVisible();
        const box = (await locator.boundingBox())!;
        expect(box.x + box.width, `${what} ends inside the table`).toBeLessThanOrEqual(right + 0.5);
      };
      for (const name of ["Deploys / day", "Lead time", "Change fail rate", "Recovery"]) {
        await inView(table.getByRole("button", { name: new RegExp(`^${name}`) }), `${path}: the ${name} header`);
      }
      for (const column of ["deploymentsPerDay", "leadTime", "changeFailRate", "recoveryTime"]) {
        await inView(table.locator(`[data-column="${column}"]`).getByText(/^DORA tier: (Elite|High|Medium|Low)$/).first(), `${path}: a ${column} tier badge`);
      }
      await inView(table.locator('[data-column="deploymentsPerDay"]').getByRole("img").first(), `${path}: a weekly deployments sparkline`);
    }
    // Provisional marks exist in the window that ends now (the sandbox deploys daily).
    await gotoAndSettle(page, "/services?pageSize=100");
    await expect(page.getByTestId("services-table").locator('[title^="Provisional"]').first()).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/services-table-1280.png", fullPage: true });
  });

  test("sorting by a metric asks the server for that order and shows it", async ({ page, request }) => {
    const window = settledWindow();
    await gotoAndSettle(page, `/services?from=${window.from}&to=${window.to}&pageSize=100`);
    const table = page.getByTestId("services-table");
    const before = await table.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-service")));

    const sortRequest = page.waitForRequest((candidate) => {
      const url = new URL(candidate.url());
      return url.pathname === "/api/services" && url.searchParams.get("sort") === "changeFailRate";
    });
    await table.getByRole("button", { name: /^Change fail rate/ }).click();
    const sent = new URL((await sortRequest).url());
    expect(sent.searchParams.get("dir")).toBe("asc");
    await expect(page).toHaveURL(/sort=changeFailRate/);
    await expect(table.getByRole("columnheader", { name: /Change fail rate/ })).toHaveAttribute("aria-sort", "ascending");

    const expected = (await (await request.get(`/api/services?from=${window.from}&to=${window.to}&pageSize=100&sort=changeFailRate&dir=asc`)).json()) as ServiceListDto;
    const order = expected.rows.map((row) => row.slug);
    await expect.poll(() => table.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-service")))).toEqual(order);
    expect(order).not.toEqual(before);
    // The server put no-data rows last and the rest in ascending order.
    const rates = expected.rows.map((row) => row.changeFailRate);
    const known = rates.filter((rate): rate is number => rate !== null);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(rates.slice(known.length).every((rate) => rate === null)).toBe(true);

    // Again: descending.
    await table.getByRole("button", { name: /^Change fail rate/ }).click();
    await expect(page).toHaveURL(/dir=desc/);
    await expect(table.getByRole("columnheader", { name: /Change fail rate/ })).toHaveAttribute("aria-sort", "descending");
  });

  test("filters live in the URL and narrow the rows", async ({ page, request }) => {
    await gotoAndSettle(page, "/services");
    const list = (await (await request.get("/api/services?pageSize=1")).json()) as ServiceListDto;
    const team = list.teams[0]!;
    await page.getByLabel("Team").selectOption(team.slug);
    await expect(page).toHaveURL(new RegExp(`team=${team.slug}`));
    const table = page.getByTestId("services-table");
    await expect.poll(async () => new Set(await table.locator('[data-column="team"]').allInnerTexts())).toEqual(new Set([team.name]));

    await page.getByLabel("Search services").fill("zz-no-such-service");
    await expect(page).toHaveURL(/q=zz-no-such-service/);
    await expect(page.getByText("No service matches these filters.")).toBeVisible();
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await expect(page).not.toHaveURL(/team=|q=/);

    await page.getByLabel("Time range").selectOption("30");
    await expect(page).toHaveURL(/days=30/);
    // The URL is the state: reloading shows the same filter.
    await page.reload();
    await expect(page.getByLabel("Time range")).toHaveValue("30");
  });

  test("a metric header's definition opens from the keyboard, and focus is visible", async ({ page }) => {
    await gotoAndSettle(page, "/services");
    const definition = page.getByRole("button", { name: "Definition of Change fail rate" });
    // Each metric header is [definition][sort]; Radix opens a tooltip on keyboard focus, so arrive with Tab.
    await page.getByRole("button", { name: /^Lead time/ }).focus();
    await page.keyboard.press("Tab");
    await expect(definition).toBeFocused();
    await expect(page.getByRole("tooltip")).toContainText("Failed changes divided by successful deployments");
    const outline = await definition.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: /^Change fail rate/ })).toBeFocused();
  });

  test("a service's page shows its deployments and what each shipped", async ({ page, request }) => {
    // The busiest service whose deployments ship measured changes (a change set with lead times).
    const list = (await (await request.get("/api/services?sort=deploymentsPerDay&dir=desc&pageSize=100")).json()) as ServiceListDto;
    const busiest = list.rows.find((row) => row.leadTimeMedianHours !== null)!;
    expect(busiest, "a sandbox service with lead times").toBeDefined();
    await gotoAndSettle(page, "/services?sort=deploymentsPerDay&dir=desc");
    await page.getByTestId("services-table").getByRole("link", { name: busiest.name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/services/${busiest.slug}$`));
    await expect(page.getByRole("heading", { level: 1, name: busiest.name })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: /^Loading / })).toHaveCount(0);

    const deployments = page.getByTestId("deployments-table");
    await expect(deployments.locator("tbody > tr:not([hidden])").first()).toBeVisible();
    // Open the first deployment that shipped changes: its PRs or commits appear.
    const withChanges = deployments.getByRole("button", { name: /^[1-9]\d* changes?$/ }).first();
    await expect(withChanges).toBeVisible();
    await withChanges.click();
    await expect(withChanges).toHaveAttribute("aria-expanded", "true");
    const panel = page.locator(`#${await withChanges.getAttribute("aria-controls")}`);
    await expect(panel).toBeVisible();
    await expect(panel.getByText(/lead time/).first()).toBeVisible();
    await expect(panel.getByText(/^#\d+ |^[0-9a-f]{7}$/).first()).toBeVisible();

    await expect(page.getByRole("figure", { name: `Deployments of ${busiest.slug}` })).toBeVisible();
    await page.getByRole("figure", { name: `Deployments of ${busiest.slug}` }).getByRole("button", { name: "Show table" }).click();
    await expect(page.getByRole("table", { name: /events per UTC day/ })).toBeVisible();
    await page.getByRole("button", { name: "Show chart" }).click();

    // The environment filter goes to the URL and refetches the deployments only.
    const refetches: string[] = [];
    page.on("request", (sent) => {
      if (sent.url().includes("/api/services/")) refetches.push(new URL(sent.url()).pathname);
    });
    await page.getByLabel(/^Environment/).selectOption("all");
    await expect(page).toHaveURL(/environment=all/);
    await expect.poll(() => refetches).toEqual([`/api/services/${busiest.slug}/deployments`]);
    await page.screenshot({ path: "test-results/screenshots/services-detail.png", fullPage: true });
  });

  test("a failed change says which rule revealed it, as the API reports it", async ({ page, request }) => {
    const list = (await (await request.get("/api/services?sort=changeFailRate&dir=desc&pageSize=100")).json()) as ServiceListDto;
    const service = list.rows.find((row) => row.failedChangeCount > 0);
    expect(service, "a sandbox service with a failed change in the last 90 days").toBeDefined();
    const listed = (await (await request.get(`/api/services/${service!.slug}/deployments`)).json()) as ServiceDeploymentsDto;
    const failed = listed.deployments.filter((deployment) => deployment.isFailedChange);
    expect(failed.length).toBeGreaterThan(0);
    // The derivation stores a rule with every flag it sets.
    expect(failed.every((deployment) => deployment.failedChangeRule !== null)).toBe(true);
    expect(listed.deployments.filter((deployment) => !deployment.isFailedChange).every((deployment) => deployment.failedChangeRule === null)).toBe(true);

    await gotoAndSettle(page, `/services/${service!.slug}`);
    const words = { rollback: "a rollback", revert: "a revert", hotfix: "a hotfix", incident: "an incident" } as const;
    // The card lists 50 rows before "Show more"; stay well inside them even if the live sandbox deploys meanwhile.
    const shown = new Set(listed.deployments.slice(0, 40).map((deployment) => deployment.id));
    for (const deployment of failed.filter((candidate) => shown.has(candidate.id)).slice(0, 5)) {
      const row = page.locator(`#deployment-${deployment.id}`);
      await expect(row.getByText("Failed change", { exact: true })).toBeVisible();
      await expect(row.getByText(`revealed by ${words[deployment.failedChangeRule!]}`, { exact: true })).toBeVisible();
    }
    // Under the timeline: what revealed the window's failed changes, in one sentence.
    await expect(page.getByTestId("failed-change-rules")).toContainText(new RegExp(`revealed by .*${words[failed[0]!.failedChangeRule!].replace(/^an? /, "")}`));
  });

  test("the API refuses bad parameters with a 422 naming them", async ({ request }) => {
    const response = await request.get("/api/services?sort=password&pageSize=0");
    expect(response.status()).toBe(422);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/sort/);
    expect(body.error.message).toMatch(/pageSize/);
    expect((await request.get("/api/services/no-such-service")).status()).toBe(404);
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`both services pages have no serious or critical WCAG violation (${scheme})`, async ({ page, request }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await gotoAndSettle(page, "/services");
      await expectNoSeriousAxeViolation(page);
      const list = (await (await request.get("/api/services?pageSize=1&sort=deploymentsPerDay&dir=desc")).json()) as ServiceListDto;
      await gotoAndSettle(page, `/services/${list.rows[0]!.slug}`);
      await expectNoSeriousAxeViolation(page);
      await page.screenshot({ path: `test-results/screenshots/services-detail-${scheme}.png`, fullPage: true });
    });
  }
});

test.describe("an unknown service", () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("answers a real 404 with the not-found page, a known one 200, and the API 404", async ({ page, request }) => {
    // The slug is checked before anything streams (no loading boundary above it), so the status can still be 404.
    for (const slug of ["no-such-service", "Not-A-Slug"]) {
      const response = await page.goto(`/services/${slug}`);
      expect(response?.status(), slug).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Service not found" })).toBeVisible();
      await expect(page).toHaveTitle(/^Service not found/);
      await expect(page.getByRole("link", { name: /All services/ })).toHaveAttribute("href", "/services");
    }
    expect((await request.get("/api/services/no-such-service")).status()).toBe(404);

    const list = (await (await request.get("/api/services?pageSize=1")).json()) as ServiceListDto;
    const known = list.rows[0]!;
    const response = await page.goto(`/services/${known.slug}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: known.name })).toBeVisible();
    await expect(page.getByRole("table", { name: `Deployments of ${known.slug}, newest first` })).toBeVisible();
  });
});
