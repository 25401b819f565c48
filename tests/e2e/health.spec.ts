import { expect, gotoAndSettle, test } from "./fixtures";

type Health = {
  status: string;
  version: string;
  database: { reachable: boolean; mode: string; latencyMs: number | null; error: string | null };
  migrations: { applied: number; latest: string | null; pending: string[] };
  workers: { running: number | null; lastQueueJobAt: string | null };
  checkedAt: string;
};

test("GET /api/health reports a reachable, migrated embedded database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const health = (await response.json()) as Health;
  expect(health.status).toBe("ok");
  expect(health.database.reachable).toBe(true);
  expect(health.database.mode).toBe("embedded");
  expect(health.database.error).toBeNull();
  expect(health.migrations.latest).not.toBeNull();
  expect(health.migrations.applied).toBeGreaterThan(0);
  expect(health.migrations.pending).toEqual([]);
  expect(Number.isNaN(Date.parse(health.checkedAt))).toBe(false);
});

test("Settings shows the same health data in its System card", async ({ page, request }) => {
  const health = (await (await request.get("/api/health")).json()) as Health;
  await gotoAndSettle(page, "/settings");
  const system = page.getByRole("region", { name: "System" });
  await expect(system).toBeVisible();
  await expect(system.getByText("Operational")).toBeVisible();
  await expect(system.getByText("Embedded (PGlite)")).toBeVisible();
  await expect(system.getByText(health.migrations.latest ?? "missing")).toBeVisible();
  await expect(system.getByText(health.version, { exact: true })).toBeVisible();

  // "Check again" refetches through the client contract (GET /api/health) and keeps the card.
  const refetch = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/health");
  await system.getByRole("button", { name: "Check again" }).click();
  expect((await refetch).status()).toBe(200);
  await expect(system.getByRole("button", { name: "Check again" })).toBeEnabled();
  await expect(system.getByText("Operational")).toBeVisible();
});

test("Settings separates configured integrations from the sources not available yet", async ({ page }) => {
  await gotoAndSettle(page, "/settings");
  const integrations = page.getByRole("region", { name: "Integrations" });
  const upcoming = integrations.getByRole("region", { name: "Coming in a later release" });
  for (const name of ["Argo CD", "Flux / Kubernetes"]) {
    await expect(upcoming.getByRole("heading", { name })).toBeVisible();
  }
  await expect(integrations.getByText("Not available yet")).toHaveCount(2);
  await expect(upcoming.getByText("ARGOCD_SERVER")).toBeVisible();
  await expect(upcoming.getByText("KUBECONFIG")).toBeVisible();
  // GitHub is available now: it is never among the sources still to come.
  await expect(upcoming.getByText(/GitHub/)).toHaveCount(0);
});

test("the worker npm start runs is alive and takes jobs from the queue, and Settings says so", async ({ page, request }) => {
  await expect
    .poll(async () => ((await (await request.get("/api/health")).json()) as Health).workers, { timeout: 30_000 })
    .toEqual({ running: 1, lastQueueJobAt: expect.any(String) });
  await gotoAndSettle(page, "/settings");
  const system = page.getByRole("region", { name: "System" });
  await expect(system.getByText("1 running")).toBeVisible();
  await expect(system.getByText(/last queue job/)).toBeVisible();
});

test("API routes refuse unknown query parameters with 422 and say which", async ({ request }) => {
  for (const path of ["/api/health?verbose=1", "/api/integrations?page=2"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("UNPROCESSABLE");
    expect(body.error.message).toMatch(/Unrecognized key/i);
    expect(body.error.message).toContain(path.includes("verbose") ? "verbose" : "page");
    expect(body.error.requestId).toBe(response.headers()["x-request-id"]);
  }
});
