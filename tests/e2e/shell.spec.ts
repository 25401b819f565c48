import { appPages, expect, gotoAndSettle, test } from "./fixtures";

test.describe("app shell", () => {
  test("loads with its landmarks, product name and database status", async ({ page }) => {
    await gotoAndSettle(page, "/");
    await expect(page).toHaveTitle("Overview · Pipeline Health");
    await expect(page.getByRole("banner").getByRole("link", { name: "Pipeline Health" })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(appPages.map((entry) => entry.label));
    await expect(page.getByRole("main")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
    await expect(page.getByRole("contentinfo").getByText("Database connected")).toBeVisible();
    await expect(page.getByRole("contentinfo").getByText(/Embedded \(PGlite\)/)).toBeVisible();
  });

  test("every navigation link opens its page and moves aria-current", async ({ page }) => {
    await gotoAndSettle(page, "/");
    const nav = page.getByRole("navigation", { name: "Main" });
    // Start from the end so that every click is a real navigation (Overview is already open).
    for (const target of [...appPages].reverse()) {
      await nav.getByRole("link", { name: target.label }).click();
      await expect(page).toHaveURL((url) => url.pathname === target.path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
      await expect(page).toHaveTitle(`${target.heading} · Pipeline Health`);
      const current = nav.locator('[aria-current="page"]');
      await expect(current).toHaveCount(1);
      await expect(current).toHaveText(target.label);
    }
  });

  test("a direct load marks the right link as current", async ({ page }) => {
    for (const target of appPages) {
      await gotoAndSettle(page, target.path);
      await expect(page.getByRole("navigation", { name: "Main" }).locator('[aria-current="page"]')).toHaveText(target.label);
    }
  });

  test("Tab reaches the skip link first and it moves focus to main", async ({ page }) => {
    await gotoAndSettle(page, "/settings");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    // The next Tab continues inside main, not back in the sidebar.
    await page.keyboard.press("Tab");
    const insideMain = await page.evaluate(() => document.getElementById("main")?.contains(document.activeElement) ?? false);
    expect(insideMain).toBe(true);
  });

  test("keyboard focus is visible on navigation links", async ({ page }) => {
    await gotoAndSettle(page, "/");
    await page.keyboard.press("Tab"); // skip link
    await page.keyboard.press("Tab"); // product name
    await page.keyboard.press("Tab"); // first nav link
    const focused = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" });
    await expect(focused).toBeFocused();
    const outline = await focused.evaluate((element) => {
      const style = getComputedStyle(element);
      return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
    });
    expect(outline.style).not.toBe("none");
    expect(outline.width).toBeGreaterThanOrEqual(2);
  });

  test.describe("unknown address", () => {
    // The document itself answers 404, which Chromium reports as a console error.
    test.use({ allowedConsoleErrors: [/status of 404/] });

    test("shows a not-found page inside the shell with links to every section", async ({ page }) => {
      const response = await page.goto("/no-such-page");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
      await expect(page.getByRole("main").getByRole("link")).toHaveText(appPages.map((entry) => entry.label));
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    });
  });
});
