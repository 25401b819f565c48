import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test as setup, type Page } from "@playwright/test";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { OWNER, storageStatePath } from "./auth-state";

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
}

// Signs in once per role through the real sign-in form, so every other test starts with a session.
for (const user of DEMO_USERS) {
  setup(`sign in as ${user.role.toLowerCase()}`, async ({ page }) => {
    await signIn(page, user.email, user.password);
    await page.context().storageState({ path: storageStatePath(user.role) });
  });
}

setup("create an admin with the CLI against the running installation, and sign in as it", async ({ page }) => {
  const port = Number(new URL(setup.info().project.use.baseURL!).port);
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", path.resolve("lib/cli/main.ts"), "users", "add", "--email", OWNER.email, "--name", OWNER.name, "--role", "admin", "--password-stdin"],
    // The CLI finds the embedded database the running `npm start` serves from this data folder.
    { input: OWNER.password, encoding: "utf8", env: { ...process.env, PIPELINE_HEALTH_DATA_DIR: process.env.E2E_DATA_DIR, EMBEDDED_DB_PORT: String(port + 1000), DATABASE_URL: "" } },
  );
  expect(output).toMatch(/(Created|Updated) owner@pipeline-health\.test with role admin/);
  expect(output).not.toContain(OWNER.password);
  await signIn(page, OWNER.email, OWNER.password);
  await page.context().storageState({ path: storageStatePath("OWNER") });
});
