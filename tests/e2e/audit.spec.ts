import { readFileSync } from "node:fs";
import type { AuditEventsDto, AuditFilterOptionsDto, AuditVerificationDto } from "@/lib/queries/audit";
import { parseCsv } from "../fixtures/parse-csv";
import { storageStatePath } from "./auth-state";
import { expect, gotoAndSettle, test } from "./fixtures";

/**
 * The Audit page over the sandbox's trail: events, a filter in the URL, search, load more, the CSV
 * export and the chain badge; and the Service page's audit card. Serial: the badge needs the
 * admin's verification first.
 */
test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  test.setTimeout(360_000);
  // The sandbox's GitHub history in the trail is all these tests need (not every source idle).
  await expect
    .poll(async () => {
      const response = await request.get("/api/audit?source=github&action=pull_request.merged&limit=60");
      return response.status() === 200 ? ((await response.json()) as AuditEventsDto).events.length : 0;
    }, { timeout: 300_000, intervals: [2_000, 5_000] })
    .toBeGreaterThanOrEqual(5);
});

test.describe("as an admin", () => {
  test.use({ storageState: storageStatePath("ADMIN") });

  test("verifies the chain now", async ({ page }) => {
    test.setTimeout(120_000);
    const response = await page.request.post("/api/audit/verification", { data: {} });
    expect(response.status()).toBe(200);
    const result = (await response.json()) as AuditVerificationDto;
    expect(result.status, JSON.stringify(result.firstBroken)).toBe("ok");
    expect(result.checkedEvents).toBeGreaterThan(50);
  });
});

test("the page shows events, a filter narrows them and is in the URL, search works, load more appends", async ({ page }) => {
  test.setTimeout(90_000);
  await gotoAndSettle(page, "/audit");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit");
  // The badge says verified, with the number of events.
  await expect(page.getByTestId("audit-chain-badge")).toContainText(/Chain verified · [\d,]+ events · (just now|\d+ min ago)/);

  const rows = page.getByTestId("audit-events").locator("tbody tr[data-seq]");
  await expect(rows).toHaveCount(50);

  // Load more appends the next keyset page, no row twice.
  await page.getByRole("button", { name: "Load more" }).click();
  await expect.poll(async () => await rows.count()).toBeGreaterThan(50);
  const seqs = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-seq")));
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs.map(Number)).toEqual([...seqs.map(Number)].sort((a, b) => b - a));

  // A row opens its details.
  await rows.first().getByRole("button").click();
  await expect(page.getByText("Previous hash")).toBeVisible();
  await rows.first().getByRole("button").click();

  // Source filter: written to the URL, every row from that source.
  const options = (await (await page.request.get("/api/audit/filters")).json()) as AuditFilterOptionsDto;
  expect(options.sources).toContain("github");
  await page.getByLabel("Source").selectOption("github");
  await expect(page).toHaveURL(/[?&]source=github(&|$)/);
  await expect(rows.first()).toBeVisible();
  // Polled: the previous page stays on screen until the filtered one arrives.
  await expect
    .poll(async () => [...new Set(await rows.evaluateAll((elements) => elements.map((element) => element.querySelectorAll("td")[5]?.textContent)))], { timeout: 30_000 })
    .toEqual(["GitHub"]);

  // Search: the page shows exactly what the API finds for the same filters.
  await page.getByLabel("Search").fill("merged");
  await expect(page).toHaveURL(/[?&]q=merged(&|$)/);
  // Polled as a pair: ingestion may append while the page loads.
  await expect
    .poll(async () => {
      const api = (await (await page.request.get("/api/audit?source=github&q=merged&limit=50")).json()) as AuditEventsDto;
      const shown = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-seq")));
      return api.events.length > 0 && JSON.stringify(shown) === JSON.stringify(api.events.map((event) => event.seq));
    })
    .toBe(true);
  await expect(rows.first().locator("td").nth(1)).toContainText("merged");
});

test("export downloads the filtered events as CSV", async ({ page }) => {
  await gotoAndSettle(page, "/audit?source=github&action=pull_request.merged");
  await page.getByRole("button", { name: "Export events" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: /CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^pipeline-health-audit-.*\.csv$/);
  const [header, ...rows] = parseCsv(readFileSync((await download.path())!, "utf8"));
  expect(header?.[0]).toBe("seq");
  expect(rows.length).toBeGreaterThan(0);
  const action = header!.indexOf("action");
  expect(new Set(rows.map((row) => row[action]))).toEqual(new Set(["pull_request.merged"]));
  await page.screenshot({ path: "test-results/screenshots/audit-filtered.png", fullPage: true });
});

test("screenshots: the Audit page and a Service page's audit card", async ({ page }) => {
  await gotoAndSettle(page, "/audit");
  await page.screenshot({ path: "test-results/screenshots/audit-page.png", fullPage: true });
  const options = (await (await page.request.get("/api/audit/filters")).json()) as AuditFilterOptionsDto;
  const slug = options.services[0]!.slug;
  await gotoAndSettle(page, `/services/${slug}`);
  const card = page.getByTestId("service-audit-card");
  await expect(card.getByRole("heading", { name: "Audit timeline" })).toBeVisible();
  await expect(card.getByRole("link", { name: "View all in Audit" })).toHaveAttribute("href", `/audit?service=${slug}`);
  await expect(card.locator("li").first()).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/audit-service-page.png", fullPage: true });
  await card.getByRole("link", { name: "View all in Audit" }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?service=${slug}$`));
  await expect(page.getByLabel("Service")).toHaveValue(slug);
});
