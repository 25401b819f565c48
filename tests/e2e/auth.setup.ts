import { expect, test as setup } from "@playwright/test";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { storageStatePath } from "./auth-state";

// Signs in once per role through the real sign-in form, so every other test starts with a session.
for (const user of DEMO_USERS) {
  setup(`sign in as ${user.role.toLowerCase()}`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await page.context().storageState({ path: storageStatePath(user.role) });
  });
}
