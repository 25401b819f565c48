import { appPages, expect, gotoAndSettle, test } from "./fixtures";

// The `browserErrors` fixture fails a test on any console error or uncaught page error;
// these tests make sure every page is loaded at least once, directly and by client navigation.
test.describe("no browser errors", () => {
  // These run right after the catalog spec, whose changes invalidate the metric rollups: until the
  // next sync rebuilds them the Overview computes every widget from raw rows, which on the embedded
  // database of a 2-core machine takes close to 30 s (README, Performance). This spec is about
  // errors, not speed, so it waits for the page as long as it takes.
  test.describe.configure({ timeout: 90_000 });
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
      // Same reason as the timeout above: a page may wait behind the Overview's raw-rows reads.
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading, { timeout: 30_000 });
    }
    await expect(page.getByRole("status")).toHaveCount(0);
    expect(browserErrors).toEqual([]);
  });
});
