import AxeBuilder from "@axe-core/playwright";
import pg from "pg";
import type { DriftFreshnessDto, DriftTargetDetailDto, DriftTargetsDto } from "@/lib/queries/drift";
import { driftStateStyles } from "@/components/drift/format-drift";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";

/**
 * The drift page as a viewer sees it. The first tests read whatever the running installation has
 * observed (the sandbox's GitOps ingestion may or may not have filled the tables yet) and assert the
 * rows when there are any, the empty state when there are none. The last test seeds its own
 * drifting Argo CD app under a disabled integration (so no worker touches it) and removes it again.
 */

/** The embedded database `npm start` serves for this run (playwright.config.ts: port + 1000). */
function databaseUrl(baseURL: string): string {
  return `postgresql://postgres:postgres@127.0.0.1:${Number(new URL(baseURL).port) + 1000}/postgres?sslmode=disable`;
}

test.describe("drift", () => {
  test("renders for a viewer: the freshness line per source, and every observed row or the empty state", async ({ page, request }) => {
    // After the first backfill the rows stay put while this test compares the page with the API.
    test.setTimeout(240_000);
    await waitForIdleSandbox(request);
    const freshness = (await (await request.get("/api/drift/freshness")).json()) as DriftFreshnessDto;
    const targets = (await (await request.get("/api/drift")).json()) as DriftTargetsDto;
    expect(freshness.sources.map((source) => source.label)).toEqual(["Argo CD", "Flux / Kubernetes", "GitHub"]);

    await gotoAndSettle(page, "/drift");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Drift");

    const line = page.getByTestId("source-freshness");
    await expect(line).toBeVisible();
    for (const source of freshness.sources) {
      const items = line.locator(`li[data-source="${source.kind}"]`);
      if (source.integrations.length === 0) {
        await expect(items).toHaveText(`${source.label}: not configured`);
        continue;
      }
      await expect(items).toHaveCount(source.integrations.length);
      for (const [index, integration] of source.integrations.entries()) {
        const item = items.nth(index);
        await expect(item).toContainText(source.label);
        await expect(item).toContainText(integration.lastSyncedAt === null ? "not synced yet" : /synced (less than a minute|\d.*) ago/);
        // The flag may flip between the API call and the render only for a source at the 15-minute edge.
        if (integration.lastError) await expect(item).toContainText(`Stale: last error: ${integration.lastError}`);
      }
    }

    const table = page.getByTestId("drift-table");
    if (targets.observedTotal === 0) {
      await expect(page.getByRole("heading", { name: "No GitOps apps or workloads observed yet" })).toBeVisible();
      await expect(page.getByText("No GitOps apps or workloads observed yet — add an Argo CD or Kubernetes integration in Settings")).toBeVisible();
      await expect(page.getByRole("link", { name: "Open Settings" })).toHaveAttribute("href", "/settings");
      await expect(table).toHaveCount(0);
      await expect(page.getByTestId("drift-timeline-empty")).toBeVisible();
    } else {
      await expect(table.locator("tbody tr")).toHaveCount(targets.rows.length);
      // Ids are stable while the worker ingests; the state of a row may move, so compare with the label of the state the row says it has.
      for (const row of targets.rows.slice(0, 20)) {
        const tr = table.locator(`tr[data-target="${row.id}"]`);
        await expect(tr.getByRole("button", { name: new RegExp(`^${row.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) })).toBeVisible();
        const state = (await tr.getAttribute("data-state")) as keyof typeof driftStateStyles;
        await expect(tr.locator('[data-column="state"]')).toContainText(driftStateStyles[state].label);
      }
    }
    await page.screenshot({ path: "test-results/screenshots/drift-observed.png", fullPage: true });
  });

  test("refreshes its data every few seconds without reloading the page", async ({ page }) => {
    await gotoAndSettle(page, "/drift");
    await page.evaluate(() => {
      (window as unknown as { driftMarker: string }).driftMarker = "same document";
    });
    // The first client fetch is a refetch: the server rendered the data.
    const refetch = await page.waitForRequest((candidate) => new URL(candidate.url()).pathname === "/api/drift", { timeout: 15_000 });
    expect(new URL(refetch.url()).pathname).toBe("/api/drift");
    await page.waitForRequest((candidate) => new URL(candidate.url()).pathname === "/api/drift/freshness", { timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { driftMarker?: string }).driftMarker)).toBe("same document");
  });

  test("the API refuses bad parameters with a message, and answers 404 for an unknown target", async ({ request }) => {
    const badState = await request.get("/api/drift?state=DRIFTING");
    expect(badState.status()).toBe(422);
    expect(((await badState.json()) as { error: { message: string } }).error.message).toMatch(/^state: /);
    const badWindow = await request.get("/api/drift/episodes?days=0");
    expect(badWindow.status()).toBe(422);
    expect(((await badWindow.json()) as { error: { message: string } }).error.message).toMatch(/days/);
    const malformed = await request.get("/api/drift/not-a-target");
    expect(malformed.status()).toBe(422);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/^id: /);
    expect((await request.get("/api/drift/app-00000000-0000-4000-8000-000000000000")).status()).toBe(404);
  });

  test("a drifting Argo CD app: filters in the URL, a keyboard-reachable detail with the live-vs-desired diff, and its episode on the timeline", async ({ page, baseURL }) => {
    const client = new pg.Client({ connectionString: databaseUrl(baseURL!) });
    await client.connect();
    const name = `e2e-drift-${Date.now()}`;
    let integrationId: string | undefined;
    try {
      const target = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "shop" }, spec: { replicas: 2 } };
      const live = { ...target, metadata: { ...target.metadata, resourceVersion: "7" }, spec: { replicas: 5 }, status: { readyReplicas: 5 } };
      integrationId = (
        await client.query<{ id: string }>(
          `INSERT INTO "Integration" (kind, name, origin, "baseUrl", enabled, health, "lastSyncedAt", "updatedAt") VALUES ('ARGOCD', $1, 'DATABASE', 'https://argocd.e2e.invalid', false, 'HEALTHY', now(), now()) RETURNING id`,
          [name],
        )
      ).rows[0]!.id;
      const appId = (
        await client.query<{ id: string }>(
          `INSERT INTO "GitOpsApp" ("integrationId", kind, "externalId", cluster, namespace, name, "repoUrl", path, "targetRevision", "syncStatus", "healthStatus", "syncedRevision", "desiredRevision", "autoSync", "driftObservable", "driftState", "driftStateSince", images, "lastObservedAt", "sourceUpdatedAt", "updatedAt")
           VALUES ($1, 'ARGOCD_APPLICATION', $2, 'in-cluster', 'argocd', $2, 'https://git.e2e.invalid/deploy', 'apps/shop', 'main', 'OutOfSync', 'Healthy', $3, $3, false, true, 'LIVE_DRIFT', now() - interval '2 hours', '{}', now(), now(), now()) RETURNING id`,
          [integrationId, name, "c".repeat(40)],
        )
      ).rows[0]!.id;
      await client.query(
        `INSERT INTO "DriftEpisode" ("integrationId", "externalKey", kind, "gitOpsAppId", methodology, "startedAt", actor, resources, "updatedAt")
         VALUES ($1, $2, 'LIVE_DRIFT', $3, 'GITOPS', now() - interval '2 hours', 'kubectl-scale', $4::jsonb, now())`,
        [integrationId, `${name}-1`, appId, JSON.stringify([{ kind: "Deployment", namespace: "shop", name, liveState: JSON.stringify(live), targetState: JSON.stringify(target) }])],
      );

      await page.setViewportSize({ width: 1280, height: 800 });
      await gotoAndSettle(page, "/drift");
      const table = page.getByTestId("drift-table");
      const row = table.locator(`tr[data-target="app-${appId}"]`);
      await expect(row).toBeVisible();
      await expect(row.locator('[data-column="state"]')).toContainText("Live drift");
      await expect(row.locator('[data-column="state"]')).toContainText(/for 2 h/);

      // Filters write the URL and ask the server; a filter that excludes the row hides it.
      await page.getByLabel("Drift state").selectOption("IN_SYNC");
      await expect(page).toHaveURL(/state=IN_SYNC/);
      await expect(row).toHaveCount(0);
      await page.getByLabel("Drift state").selectOption("LIVE_DRIFT");
      await expect(row).toBeVisible();
      await page.getByLabel("Methodology").selectOption("devops");
      await expect(page).toHaveURL(/methodology=devops/);
      await expect(row).toHaveCount(0);
      await page.getByLabel("Methodology").selectOption("gitops");
      await page.getByRole("searchbox", { name: "Search" }).fill(name);
      await expect(page).toHaveURL(new RegExp(`q=${name}`));
      await expect(table.locator("tbody tr")).toHaveCount(1);

      // Keyboard: focus the row's button, press Enter, and focus lands in the detail panel.
      const open = row.getByRole("button", { name: new RegExp(`^${name}`) });
      await open.focus();
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(new RegExp(`target=app-${appId}`));
      await expect(open).toHaveAttribute("aria-pressed", "true");
      await expect(page.getByRole("heading", { name: "Drift details" })).toBeFocused();
      const detail = page.locator("#drift-detail");
      await expect(detail.getByTestId("drift-detail-name")).toHaveText(name);
      await expect(detail).toContainText("changed by kubectl-scale");
      const diff = detail.getByTestId("drift-diff");
      // Each changed line says which side it is on in text (sign and screen-reader words), not only in colour.
      await expect(diff.locator('[data-op="remove"]')).toHaveCount(1);
      await expect(diff.locator('[data-op="remove"]')).toHaveText(/^−live only: +replicas: 5$/);
      await expect(diff.locator('[data-op="add"]')).toHaveCount(1);
      await expect(diff.locator('[data-op="add"]')).toHaveText(/^\+desired only: +replicas: 2$/);
      await expect(diff).not.toContainText("resourceVersion");
      await expect(diff).not.toContainText("readyReplicas");
      const detailJson = (await (await page.request.get(`/api/drift/app-${appId}`)).json()) as DriftTargetDetailDto;
      expect(detailJson.resources[0]!.diff!.added).toBe(1);

      // The timeline draws the open episode; its table view says so in words.
      const timeline = page.getByRole("region", { name: "Episode timeline" });
      await timeline.getByRole("button", { name: "Show table" }).click();
      const episodes = timeline.getByTestId("drift-episodes-table");
      await expect(episodes.locator("tbody tr")).toHaveCount(1);
      await expect(episodes.locator("tbody tr")).toContainText(`argocd/${name}`);
      await expect(episodes.locator("tbody tr")).toContainText("still open");
      await timeline.getByRole("button", { name: "Show chart" }).click();

      await page.screenshot({ path: "test-results/screenshots/drift-1280.png", fullPage: true });
      // The populated page (table, detail, diff, chart) meets WCAG AA, not only the empty one the page list checks.
      const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
      expect(axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
      expect(axe.passes.length).toBeGreaterThan(10);
      await page.getByRole("button", { name: "Close" }).click();
      await expect(open).toBeFocused();
      await expect(page).not.toHaveURL(/target=/);
    } finally {
      // Removing the integration removes its app and episode (cascade), as removing a source does.
      if (integrationId) await client.query(`DELETE FROM "Integration" WHERE id = $1`, [integrationId]);
      await client.end();
    }
  });
});
