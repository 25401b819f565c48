import AxeBuilder from "@axe-core/playwright";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { expect, test } from "./fixtures";

const admin = DEMO_USERS.find((user) => user.role === "ADMIN")!;
const signedOut = { cookies: [], origins: [] };

test.describe("signed out", () => {
  test.use({ storageState: signedOut });

  test("a page sends a signed-out person to sign-in and back to it afterwards", async ({ page }) => {
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await page.getByRole("button", { name: "Fill in the admin account" }).click();
    await expect(page.getByLabel("E-mail")).toHaveValue(admin.email);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const panel = page.getByLabel("Signed in");
    await expect(panel).toContainText(admin.name);
    await expect(panel).toContainText("Admin");

    await panel.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto("/services");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fservices$/);
  });

  test.describe(() => {
    // The browser logs the 401 of the refused attempt; that is the answer under test.
    test.use({ allowedConsoleErrors: [/status of 401/] });

    test("a wrong password is refused with a message, focus back on the password", async ({ page }) => {
      await page.goto("/sign-in");
      await page.getByLabel("E-mail").fill(admin.email);
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("form").getByRole("alert")).toHaveText("That e-mail and password do not match an active account.");
      await expect(page.getByLabel("Password")).toBeFocused();
      await expect(page).toHaveURL(/\/sign-in$/);
    });
  });

  test("sign-in never redirects off the site", async ({ page }) => {
    await page.goto("/sign-in?next=//example.org/phish");
    await page.getByLabel("E-mail").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  });

  test("the API answers 401 without a session, except health", async ({ request }) => {
    expect((await request.get("/api/integrations")).status()).toBe(401);
    expect((await request.get("/api/health")).status()).toBe(200);
  });

  test("the sign-in page lists one demo account per role in sandbox mode, and passes axe", async ({ page }) => {
    await page.goto("/sign-in");
    const demo = page.getByRole("region", { name: "Sandbox demo accounts" });
    for (const user of DEMO_USERS) await expect(demo).toContainText(user.email);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
    expect(results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual([]);
    await page.screenshot({ path: "test-results/screenshots/sign-in.png", fullPage: true });
  });
});
