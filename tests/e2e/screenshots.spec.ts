import { appPages, expect, gotoAndSettle, test } from "./fixtures";

// For people to look at (test-results/screenshots/*.png); each still checks the page rendered.
for (const target of appPages) {
  test(`screenshot of ${target.label}`, async ({ page }) => {
    await gotoAndSettle(page, target.path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
    await page.screenshot({ path: `test-results/screenshots/${target.slug}.png`, fullPage: true });
  });
}
