import type { APIRequestContext } from "@playwright/test";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";
import { storageStatePath } from "./auth-state";

type Integration = {
  id: string;
  name: string;
  origin: "ENV" | "DATABASE" | "SANDBOX";
  baseUrl: string;
  lastSyncedAt: string | null;
  currentRun: unknown;
  counts: { repositories: number; pullRequests: number; deployments: number; incidents: number };
};

async function integrations(request: APIRequestContext): Promise<{ integrations: Integration[]; canManage: boolean }> {
  const response = await request.get("/api/integrations");
  expect(response.status()).toBe(200);
  return (await response.json()) as { integrations: Integration[]; canManage: boolean };
}

test("a viewer sees the integration actions but cannot use them, and the API refuses", async ({ page, request }) => {
  expect((await integrations(request)).canManage).toBe(false);
  await gotoAndSettle(page, "/settings");
  const card = page.getByRole("region", { name: "Integrations" });
  await expect(card.getByRole("button", { name: "Add GitHub integration" })).toHaveAttribute("aria-disabled", "true");
  await expect(card.getByRole("button", { name: "Sync sandbox now", exact: true })).toHaveAttribute("aria-disabled", "true");
  const sandbox = (await integrations(request)).integrations.find((integration) => integration.name === "sandbox")!;
  const refused = await request.post(`/api/integrations/${sandbox.id}/sync`, { data: {} });
  expect(refused.status()).toBe(403);
});

test.describe("as a demo admin", () => {
  test.use({ storageState: storageStatePath("ADMIN") });

  test("adding a source is refused: demo passwords are public", async ({ request, baseURL }) => {
    const response = await request.post("/api/integrations", {
      headers: { origin: baseURL! },
      data: { name: "refused", baseUrl: "https://api.github.com", token: "ghp_x", org: "acme", repositories: [], backfillDays: 30 },
    });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Demo accounts have public passwords/);
  });
});

test.describe("as an admin of one's own", () => {
  test.use({ storageState: storageStatePath("OWNER") });

  test("add a stored GitHub source, watch it sync, then remove it after reading how much goes", async ({ page, request }) => {
    test.setTimeout(300_000);
    await waitForIdleSandbox(request);
    const sandbox = (await integrations(request)).integrations.find((integration) => integration.name === "sandbox")!;

    await gotoAndSettle(page, "/settings");
    const card = page.getByRole("region", { name: "Integrations" });
    await card.getByRole("button", { name: "Add GitHub integration" }).click();
    const add = page.getByRole("dialog", { name: "Add GitHub integration" });
    await add.getByLabel("Name").fill("e2e-mirror");
    // The sandbox's API stands in for a GitHub Enterprise server; it accepts only its own token.
    await add.getByLabel("API base URL").fill(sandbox.baseUrl);
    await add.getByLabel("Token").fill("sandbox-token");
    await add.getByLabel("Repositories").fill("acme-sandbox/audit-log");
    await add.getByLabel("Backfill days").fill("60");
    await add.getByRole("button", { name: "Add integration" }).click();
    await expect(add).toBeHidden();

    const row = card.getByRole("listitem", { name: "e2e-mirror" });
    await expect(row).toBeVisible();
    await expect(row.getByText("Stored", { exact: false }).first()).toBeVisible();
    await expect
      .poll(async () => (await integrations(request)).integrations.find((integration) => integration.name === "e2e-mirror")?.lastSyncedAt ?? null, { timeout: 120_000 })
      .not.toBeNull();
    const mirror = (await integrations(request)).integrations.find((integration) => integration.name === "e2e-mirror")!;
    expect(mirror.origin).toBe("DATABASE");
    expect(mirror.counts.repositories).toBe(1);
    expect(mirror.counts.deployments).toBeGreaterThan(0);
    expect(JSON.stringify(mirror)).not.toContain("sandbox-token");

    await page.reload();
    await row.getByRole("button", { name: "Remove e2e-mirror…" }).click();
    const remove = page.getByRole("dialog", { name: "Remove e2e-mirror?" });
    const deletes = remove.getByRole("region", { name: "What removal deletes" });
    await expect(deletes).toContainText(`${mirror.counts.deployments.toLocaleString("en-US")} deployment`);
    await expect(remove.getByRole("button", { name: "Remove e2e-mirror" })).toBeDisabled();
    await remove.getByLabel("Type e2e-mirror to confirm").fill("e2e-mirror");
    await remove.getByRole("button", { name: "Remove e2e-mirror" }).click();
    await expect(remove).toBeHidden();
    await expect(card.getByRole("listitem", { name: "e2e-mirror" })).toHaveCount(0);
    expect((await integrations(request)).integrations.map((integration) => integration.name)).not.toContain("e2e-mirror");
  });

  test("sync now queues one run of the sandbox and the row says so", async ({ page, request }) => {
    test.setTimeout(240_000);
    await waitForIdleSandbox(request);
    await gotoAndSettle(page, "/settings");
    const row = page.getByRole("region", { name: "Integrations" }).getByRole("listitem", { name: "sandbox", exact: true });
    await row.getByRole("button", { name: "Sync sandbox now", exact: true }).click();
    await expect(row.getByRole("button", { name: "Sync sandbox now", exact: true })).toHaveText(/Queued|Syncing…/);
  });
});
