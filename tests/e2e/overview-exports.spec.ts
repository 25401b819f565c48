import { parseCsvObjects } from "../fixtures/parse-csv";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";

// The default project is signed in as the demo viewer (auth.setup.ts): the least a reader of exports needs.
test("a signed-in viewer downloads the services as CSV, with the metrics API's services in it", async ({ page }) => {
  test.setTimeout(240_000);
  await waitForIdleSandbox(page.request);
  await gotoAndSettle(page, "/");

  // Through the page's own request context: the same session cookie a download link sends.
  const response = await page.request.get("/api/metrics/export?table=services&format=csv&days=30");
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers["content-type"]).toBe("text/csv; charset=utf-8");
  expect(headers["content-disposition"]).toMatch(/^attachment; filename="pipeline-health-services-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(headers["cache-control"]).toBe("no-store");

  const { header, rows } = parseCsvObjects(await response.text());
  expect(header.slice(0, 5)).toEqual(["service_slug", "service_name", "team_slug", "team_name", "methodology"]);
  expect(header).toContain("lead_time_median_hours");

  const metrics = (await (await page.request.get("/api/metrics?days=30")).json()) as { services: { slug: string; deploymentCount: number }[] };
  expect(rows.map((row) => row.service_slug)).toEqual(metrics.services.map((service) => service.slug));
  expect(rows.map((row) => Number(row.deployment_count))).toEqual(metrics.services.map((service) => service.deploymentCount));
  // The sandbox ships both ways, and the export says which way each service shipped.
  expect(rows.some((row) => row.methodology === "devops") && rows.some((row) => row.methodology === "gitops")).toBe(true);

  const json = await page.request.get("/api/metrics/export?table=teams&format=json&days=30");
  expect(json.status()).toBe(200);
  expect(json.headers()["content-type"]).toBe("application/json");
  const document = (await json.json()) as { table: string; columns: { name: string }[]; rows: Record<string, unknown>[] };
  expect(document.table).toBe("teams");
  expect(document.rows.length).toBeGreaterThan(0);

  const bad = await page.request.get("/api/metrics/export?table=deployments&format=csv");
  expect(bad.status()).toBe(422);
});

test.describe("without a session", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("an export is a 401, and no data", async ({ request }) => {
    const response = await request.get("/api/metrics/export?table=services&format=csv");
    expect(response.status()).toBe(401);
    expect(response.headers()["content-type"]).toContain("application/json");
    expect(await response.text()).not.toContain("service_slug");
  });
});
