import type { APIRequestContext, Locator, Page, Response } from "@playwright/test";
import { expect, gotoAndSettle, test } from "./fixtures";

/** The wire shape of `GET /api/integrations`, as far as these tests read it. */
type Integration = {
  id: string;
  kind: string;
  name: string;
  origin: "ENV" | "DATABASE" | "SANDBOX";
  readOnly: boolean;
  health: string;
  lastSyncedAt: string | null;
  lastError: string | null;
  currentRun: { startedAt: string; itemsProcessed: number; itemsTotal: number | null } | null;
  counts: { repositories: number; pullRequests: number; deployments: number; incidents: number };
};

const formatCount = (value: number) => new Intl.NumberFormat("en-US").format(value);

async function findSandbox(request: APIRequestContext): Promise<Integration | undefined> {
  const response = await request.get("/api/integrations");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { integrations: Integration[] };
  return body.integrations.find((integration) => integration.name === "sandbox");
}

function isIntegrationsResponse(response: Response): boolean {
  return new URL(response.url()).pathname === "/api/integrations" && response.request().method() === "GET";
}

function sandboxRow(page: Page): Locator {
  return page.getByRole("region", { name: "Integrations" }).getByRole("listitem", { name: "sandbox", exact: true });
}

/** The number under a count's label in an integration row ("Deployments" → "1,234"). */
function countValue(row: Locator, label: string): Locator {
  return row.locator("dl > div").filter({ has: row.page().locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");
}

test("with nothing configured, npm start registers the sandbox org and Settings lists it as read-only", async ({ page, request }) => {
  await expect.poll(async () => (await findSandbox(request))?.origin, { timeout: 60_000 }).toBe("SANDBOX");
  const sandbox = (await findSandbox(request))!;
  expect(sandbox).toMatchObject({ kind: "GITHUB", readOnly: true });

  await gotoAndSettle(page, "/settings");
  const row = sandboxRow(page);
  await expect(row.getByRole("heading", { level: 3, name: "sandbox", exact: true })).toBeVisible();
  await expect(row.getByText("Sandbox org — read-only")).toBeVisible();
  await expect(row.getByText(/^GitHub/)).toBeVisible();
  for (const label of ["Repositories", "Pull requests", "Deployments", "Incidents"]) {
    await expect(countValue(row, label)).toHaveText(/^[\d,]+$/);
  }
});

test("after its first sync the sandbox shows real counts, the same as the API's, and when it synced", async ({ page, request }) => {
  test.setTimeout(240_000);
  // The first backfill of ~200 days runs in the worker right after start; wait for it to end.
  await expect
    .poll(
      async () => {
        const sandbox = await findSandbox(request);
        return !!sandbox && sandbox.lastSyncedAt !== null && sandbox.counts.deployments > 0;
      },
      { timeout: 120_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toBe(true);

  await gotoAndSettle(page, "/settings");
  const row = sandboxRow(page);
  await expect(row.getByText(/^synced .+ ago$/)).toBeVisible();
  await expect(row.locator("time").first()).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);

  // Compare with the data this page itself receives: its next poll (2 s while a run is going,
  // 30 s otherwise) says exactly what the card must show at that moment.
  const response = await page.waitForResponse(isIntegrationsResponse, { timeout: 45_000 });
  expect(response.status()).toBe(200);
  const sandbox = ((await response.json()) as { integrations: Integration[] }).integrations.find((item) => item.name === "sandbox")!;
  expect(sandbox.lastSyncedAt).not.toBeNull();
  for (const value of Object.values(sandbox.counts)) expect(value).toBeGreaterThan(0);

  const progressbar = row.getByRole("progressbar");
  if (sandbox.currentRun === null) {
    // Idle: the next poll is 30 s away, so what is on screen is this response.
    await expect(progressbar).toHaveCount(0);
    await expect(countValue(row, "Deployments")).toHaveText(formatCount(sandbox.counts.deployments));
    await expect(countValue(row, "Repositories")).toHaveText(formatCount(sandbox.counts.repositories));
    await expect(countValue(row, "Pull requests")).toHaveText(formatCount(sandbox.counts.pullRequests));
    await expect(countValue(row, "Incidents")).toHaveText(formatCount(sandbox.counts.incidents));
  } else {
    // A scheduled sync is running: the bar must be there, and the counts can only have grown since.
    await expect(progressbar).toBeVisible();
    await expect(progressbar).toHaveAttribute("aria-valuemin", "0");
    const deployments = Number((await countValue(row, "Deployments").innerText()).replace(/,/g, ""));
    expect(deployments).toBeGreaterThanOrEqual(sandbox.counts.deployments);
  }
});

test("while a sync runs, the progress bar reports repositories done of total", async ({ page, request }) => {
  test.setTimeout(180_000);
  await expect.poll(async () => (await findSandbox(request))?.origin, { timeout: 60_000 }).toBe("SANDBOX");
  await gotoAndSettle(page, "/settings");
  const row = sandboxRow(page);

  // Watch the page's own polls for up to a minute and check the card against each answer. A run
  // (the first backfill or a scheduled one) may or may not be going; each state has its assertions.
  const deadline = Date.now() + 60_000;
  let answers = 0;
  while (Date.now() < deadline) {
    const response = await page.waitForResponse(isIntegrationsResponse, { timeout: 45_000 }).catch(() => null);
    if (!response) break;
    answers += 1;
    const sandbox = ((await response.json()) as { integrations: Integration[] }).integrations.find((item) => item.name === "sandbox")!;
    const run = sandbox.currentRun;
    if (run === null) {
      await expect(row.getByRole("progressbar")).toHaveCount(0);
      break;
    }
    const progressbar = row.getByRole("progressbar");
    await expect(progressbar).toBeVisible();
    await expect(progressbar).toHaveAttribute("aria-valuemin", "0");
    if (run.itemsTotal === null) {
      await expect(progressbar).not.toHaveAttribute("aria-valuenow", /.*/);
      await expect(progressbar).toHaveAccessibleName("Syncing sandbox: listing repositories");
      continue;
    }
    // The total of a run is fixed; progress only moves forward, within [0, total].
    await expect(progressbar).toHaveAttribute("aria-valuemax", String(run.itemsTotal));
    const now = Number(await progressbar.getAttribute("aria-valuenow"));
    expect(now).toBeGreaterThanOrEqual(Math.min(run.itemsProcessed, run.itemsTotal));
    expect(now).toBeLessThanOrEqual(run.itemsTotal);
    await expect(progressbar).toHaveAccessibleName(/^Syncing sandbox: [\d,]+ of [\d,]+ repositor(y|ies)$/);
  }
  expect(answers, "the page polls GET /api/integrations").toBeGreaterThan(0);
});
