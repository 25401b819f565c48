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
interface Catalog {
  canManage: boolean;
  repositories: CatalogRepository[];
  environments: CatalogEnvironment[];
}

test("a viewer reads the catalog but its change buttons say only admins may use them", async ({ page, request }) => {
  const catalog = (await (await request.get("/api/catalog")).json()) as Catalog;
  expect(catalog.canManage).toBe(false);
  await gotoAndSettle(page, "/settings");
  const card = page.getByRole("region", { name: "Service catalog" });
  await expect(card).toBeVisible();
  const repository = catalog.repositories[0]!;
  const button = card.getByRole("region", { name: "Repositories" }).getByRole("button", { name: `Bind ${repository.fullName} to a service` });
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
});
