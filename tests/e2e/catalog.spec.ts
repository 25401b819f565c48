import type { APIRequestContext } from "@playwright/test";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";
import { storageStatePath } from "./auth-state";

interface CatalogRepository {
  id: string;
  fullName: string;
  service: { slug: string } | null;
  bindingOrigin: "convention" | "manual" | null;
  deploymentCount: number;
}
interface CatalogEnvironment {
  name: string;
  classification: { isProduction: boolean; by: string };
  deploymentCount: number;
}
interface CatalogObject {
  id: string;
  type: "gitops-app" | "workload";
  display: string;
  service: { id: string; slug: string } | null;
  binding: { origin: "convention" | "manual" } | null;
}
interface Catalog {
  canManage: boolean;
  repositories: CatalogRepository[];
  environments: CatalogEnvironment[];
  gitOpsApps: CatalogObject[];
  workloads: CatalogObject[];
  unmapped: { gitOpsApps: CatalogObject[]; workloads: CatalogObject[] };
}

test("a viewer reads the catalog but its change buttons say only admins may use them", async ({ page, request }) => {
  // Settings reads much of the database: on the embedded one it waits behind the first backfill.
  test.setTimeout(240_000);
  await waitForIdleSandbox(request);
  const catalog = (await (await request.get("/api/catalog")).json()) as Catalog;
  expect(catalog.canManage).toBe(false);
  await gotoAndSettle(page, "/settings");
  const card = page.getByRole("region", { name: "Service catalog" });
  await expect(card).toBeVisible();
  const repository = catalog.repositories[0]!;
  const button = card.getByRole("region", { name: "Repositories" }).getByRole("button", { name: `Bind ${repository.fullName} to a service` });
  await expect(button).toHaveAttribute("aria-disabled", "true");
});

/** The catalog once the sandbox's Argo CD apps are in (they sync next to GitHub, on their own schedule). */
async function catalogWithGitOpsApps(request: APIRequestContext): Promise<Catalog> {
  let catalog: Catalog | null = null;
  await expect
    .poll(
      async () => {
        catalog = (await (await request.get("/api/catalog")).json()) as Catalog;
        return catalog.gitOpsApps.some((app) => app.binding?.origin === "convention");
      },
      { timeout: 180_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toBe(true);
  return catalog!;
}

test("a viewer sees the unmapped GitOps apps and workloads list, and GitOps bind buttons say only admins may use them", async ({ page, request }) => {
  test.setTimeout(240_000);
  const catalog = await catalogWithGitOpsApps(request);
  await gotoAndSettle(page, "/settings");
  const card = page.getByRole("region", { name: "Service catalog" });
  const unmapped = card.getByRole("region", { name: "Unmapped GitOps apps and workloads" });
  await expect(unmapped).toBeVisible();
  const unmappedCount = catalog.unmapped.gitOpsApps.length + catalog.unmapped.workloads.length;
  if (unmappedCount === 0) await expect(unmapped).toContainText("None: every GitOps app and workload counts for a service.");
  const app = catalog.gitOpsApps[0]!;
  const button = card.getByRole("region", { name: "GitOps apps and workloads", exact: true }).getByRole("button", { name: `Bind ${app.display} to a service` });
  await expect(button).toHaveAttribute("aria-disabled", "true");
});

test.describe("as an admin", () => {
  test.use({ storageState: storageStatePath("ADMIN") });

  test("binding a repository to a new service previews what moves, then moves exactly that", async ({ page, request }) => {
    test.setTimeout(240_000);
    await waitForIdleSandbox(request);
    const before = (await (await request.get("/api/catalog")).json()) as Catalog;
    expect(before.canManage).toBe(true);
    const repository = before.repositories.find((repo) => repo.deploymentCount > 0 && repo.bindingOrigin === "convention")!;

    await gotoAndSettle(page, "/settings");
    const repositories = page.getByRole("region", { name: "Service catalog" }).getByRole("region", { name: "Repositories" });
    await repositories.getByRole("button", { name: `Bind ${repository.fullName} to a service` }).click();
    const dialog = page.getByRole("dialog", { name: `Bind ${repository.fullName} to a service` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("radio", { name: "A new service" }).check();
    await dialog.getByLabel("Name", { exact: true }).fill("E2E Rebound");
    await dialog.getByLabel("Slug", { exact: true }).fill("e2e-rebound");
    await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
    await dialog.getByRole("button", { name: "Preview" }).click();
    const preview = dialog.getByRole("region", { name: "What will change" });
    await expect(preview).toContainText(`${repository.deploymentCount.toLocaleString("en-US")} deployment`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(/^Saved\./)).toBeVisible();

    const after = (await (await request.get("/api/catalog")).json()) as Catalog;
    const moved = after.repositories.find((repo) => repo.id === repository.id)!;
    expect(moved.service?.slug).toBe("e2e-rebound");
    expect(moved.bindingOrigin).toBe("manual");
    expect(moved.deploymentCount).toBe(repository.deploymentCount);
    await expect(repositories.getByRole("row", { name: new RegExp(repository.fullName) })).toContainText("e2e-rebound");
  });

  test("classifying an environment as production previews and flips its deployments", async ({ page, request }) => {
    test.setTimeout(240_000);
    await waitForIdleSandbox(request);
    const before = (await (await request.get("/api/catalog")).json()) as Catalog;
    const environment = before.environments.find((env) => !env.classification.isProduction && env.deploymentCount > 0)!;
    expect(environment, "the sandbox deploys to a non-production environment").toBeTruthy();

    await gotoAndSettle(page, "/settings");
    const environments = page.getByRole("region", { name: "Service catalog" }).getByRole("region", { name: "Environments" });
    await environments.getByRole("button", { name: `Classify environment ${environment.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Classify environment “${environment.name}”` });
    await dialog.getByRole("radio", { name: "Production", exact: true }).check();
    await dialog.getByRole("button", { name: "Preview" }).click();
    await expect(dialog.getByRole("region", { name: "What will change" })).toContainText(environment.deploymentCount.toLocaleString("en-US"));
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();

    const after = (await (await request.get("/api/catalog")).json()) as Catalog;
    const classified = after.environments.find((env) => env.name === environment.name)!;
    expect(classified.classification).toMatchObject({ isProduction: true, by: "rule" });

    // Undo, so later tests see the sandbox as generated: removing the rule restores the convention.
    const rules = page.getByRole("region", { name: "Service catalog" }).getByRole("region", { name: "Environment rules" });
    await rules.getByRole("button", { name: `Remove the rule for ${environment.name}` }).click();
    const undo = page.getByRole("dialog", { name: `Remove the rule for “${environment.name}”` });
    await undo.getByRole("button", { name: "Preview" }).click();
    await undo.getByRole("button", { name: "Save" }).click();
    await expect(undo).toBeHidden();
    const restored = ((await (await request.get("/api/catalog")).json()) as Catalog).environments.find((env) => env.name === environment.name)!;
    expect(restored.classification.isProduction).toBe(false);
  });

  test("binding a convention-bound Argo CD app by hand, with the keyboard, keeps its service and offers to remove the manual binding", async ({ page, request }, testInfo) => {
    test.setTimeout(240_000);
    await waitForIdleSandbox(request);
    const before = await catalogWithGitOpsApps(request);
    // Bound by hand to the service it already has: no row moves, so the sandbox stays as generated for other specs.
    const app = before.gitOpsApps.find((row) => row.binding?.origin === "convention" && row.service)!;
    const serviceSlug = app.service!.slug;

    await gotoAndSettle(page, "/settings");
    const objects = page.getByRole("region", { name: "Service catalog" }).getByRole("region", { name: "GitOps apps and workloads", exact: true });
    const trigger = objects.getByRole("button", { name: `Bind ${app.display} to a service` });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: `Bind ${app.display} to a service` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("combobox", { name: "Service", exact: true }).selectOption({ value: app.service!.id });
    await dialog.getByRole("button", { name: "Preview" }).focus();
    await page.keyboard.press("Enter");
    const preview = dialog.getByRole("region", { name: "What will change" });
    // A change takes the catalog lock exclusively, so it waits for an Argo CD or Kubernetes pass in progress.
    const CHANGE_TIMEOUT = { timeout: 60_000 };
    await expect(preview).toContainText(`${app.display} stays with service ${serviceSlug}, but its binding becomes manual`, CHANGE_TIMEOUT);
    await dialog.getByRole("button", { name: "Save" }).focus();
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden(CHANGE_TIMEOUT);
    await expect(page.getByText(/^Saved\./)).toBeVisible();

    const after = (await (await request.get("/api/catalog")).json()) as Catalog;
    expect(after.gitOpsApps.find((row) => row.id === app.id)).toMatchObject({ service: { slug: serviceSlug }, binding: { origin: "manual" } });
    const row = objects.getByRole("row", { name: new RegExp(app.display.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
    await expect(row).toContainText("Manual");
    await objects.screenshot({ path: testInfo.outputPath("catalog-gitops-objects.png") });

    // The manual binding can be removed: the preview says what would happen; Escape closes without saving.
    const unbind = row.getByRole("button", { name: `Remove the manual binding of ${app.display}` });
    await unbind.focus();
    await page.keyboard.press("Enter");
    const unbindDialog = page.getByRole("dialog", { name: `Remove the manual binding of ${app.display}` });
    await unbindDialog.getByRole("button", { name: "Preview" }).click();
    await expect(unbindDialog.getByRole("region", { name: "What will change" })).toContainText(`The manual binding of ${app.display} to service ${serviceSlug} is removed`, CHANGE_TIMEOUT);
    await page.keyboard.press("Escape");
    await expect(unbindDialog).toBeHidden();
    await expect(unbind).toBeFocused();
    const unchanged = (await (await request.get("/api/catalog")).json()) as Catalog;
    expect(unchanged.gitOpsApps.find((candidate) => candidate.id === app.id)?.binding?.origin).toBe("manual");

    // Saved this time: the app is unmapped until a sync binds it again by its name.
    await page.keyboard.press("Enter");
    await unbindDialog.getByRole("button", { name: "Preview" }).click();
    await expect(unbindDialog.getByRole("button", { name: "Save" })).toBeEnabled(CHANGE_TIMEOUT);
    await unbindDialog.getByRole("button", { name: "Save" }).click();
    await expect(unbindDialog).toBeHidden(CHANGE_TIMEOUT);
    await expect(page.getByRole("status").filter({ hasText: /^Saved\./ })).toContainText(`The manual binding of ${app.display} to service ${serviceSlug} is removed`);
    const unmapped = page.getByRole("region", { name: "Service catalog" }).getByRole("region", { name: "Unmapped GitOps apps and workloads" });
    await unmapped.screenshot({ path: testInfo.outputPath("catalog-unmapped-gitops.png") });

    // Back to the service it had (a watch event may have re-bound it by convention meanwhile: then this only makes it manual).
    const restore = { kind: "bind-object", object: { type: "gitops-app", id: app.id }, target: { type: "existing", serviceId: app.service!.id } };
    await expect
      .poll(
        async () => {
          const previewed = (await (await request.post("/api/catalog/preview", { data: restore })).json()) as { fingerprint: string };
          return (await request.post("/api/catalog/changes", { data: { ...restore, expectedFingerprint: previewed.fingerprint } })).status();
        },
        { timeout: 60_000 },
      )
      .toBe(200);
    const restored = (await (await request.get("/api/catalog")).json()) as Catalog;
    expect(restored.gitOpsApps.find((candidate) => candidate.id === app.id)).toMatchObject({ service: { slug: serviceSlug } });
  });

  test("a sync after the changes rebuilds what they invalidated, so the specs after this one read rollups again", async ({ request }) => {
    test.setTimeout(240_000);
    // Catalog changes switch the metric rollups off until the next sync rebuilds them; the next
    // scheduled sync may be minutes away, and pages read raw rows (slowly, on the embedded database) until then.
    const listed = (await (await request.get("/api/integrations")).json()) as { integrations: { id: string; name: string; lastSyncedAt: string | null }[] };
    const github = listed.integrations.find((integration) => integration.name === "sandbox")!;
    const response = await request.post(`/api/integrations/${github.id}/sync`, { data: {} });
    expect(response.status()).toBe(200);
    await expect
      .poll(
        async () => {
          const now = (await (await request.get("/api/integrations")).json()) as { integrations: { id: string; lastSyncedAt: string | null; currentRun: unknown }[] };
          const current = now.integrations.find((integration) => integration.id === github.id)!;
          return current.currentRun === null && current.lastSyncedAt !== null && current.lastSyncedAt !== github.lastSyncedAt;
        },
        { timeout: 200_000, intervals: [1_000, 2_000, 5_000] },
      )
      .toBe(true);
    await waitForIdleSandbox(request);
  });
});
