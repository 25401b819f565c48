import { appPages, expect, gotoAndSettle, test } from "./fixtures";

// The `browserErrors` fixture fails a test on any console error or uncaught page error;
// these tests make sure every page is loaded at least once, directly and by client navigation.
test.describe("no browser errors", () => {
  for (const target of appPages) {
    test(`${target.label} loads without console or page errors`, async ({ page, browserErrors }) => {
      await gotoAndSettle(page, target.path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
      expect(browserErrors).toEqual([]);
    });
  }

  test("client-side navigation through every page stays error-free", async ({ page, browserErrors }) => {
    await gotoAndSettle(page, "/");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const target of [...appPages.slice(1), appPages[0]]) {
      await nav.getByRole("link", { name: target.label }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
    }
    await expect(page.getByRole("status")).toHaveCount(0);
    expect(browserErrors).toEqual([]);
  });
});
