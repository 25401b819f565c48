import { expect, gotoAndSettle, test } from "./fixtures";

test("Overview compares the cohorts without inventing numbers", async ({ page }) => {
  await gotoAndSettle(page, "/");
  const devops = page.getByRole("region", { name: /DevOps \(push-based\)/ });
  const gitops = page.getByRole("region", { name: /GitOps \(pull-based\)/ });
  await expect(devops).toBeVisible();
  await expect(gitops).toBeVisible();

  // Side by side: the two cohort cards share a row at the 1280px viewport.
  const [devopsBox, gitopsBox] = await Promise.all([devops.boundingBox(), gitops.boundingBox()]);
  expect(devopsBox && gitopsBox && Math.abs(devopsBox.y - gitopsBox.y) < 2 && devopsBox.x < gitopsBox.x).toBe(true);

  // Six DORA-style metrics per cohort plus sync lag for GitOps, every value "no data" until a source delivers.
  await expect(devops.getByText("No data yet")).toHaveCount(6);
  await expect(gitops.getByText("No data yet")).toHaveCount(7);
  await expect(devops.getByText("Not applicable")).toHaveCount(1);
  const values = await page.getByRole("main").locator("[data-stat-value]").allInnerTexts();
  expect(values.length).toBe(14);
  expect(values.filter((value) => /\d/.test(value))).toEqual([]);

  // The definitions are readable text, not only tooltips.
  const glossary = page.getByRole("region", { name: "How each metric is measured" });
  await expect(glossary.getByText("Change fail rate", { exact: true })).toBeVisible();
  await expect(glossary.getByText(/Elite ≤ 5 %/)).toBeVisible();
});

test("a metric's definition tooltip opens from the keyboard", async ({ page }) => {
  await gotoAndSettle(page, "/");
  const devops = page.getByRole("region", { name: /DevOps \(push-based\)/ });
  // Radix opens tooltips on keyboard focus only (not on programmatic focus), so arrive with Tab.
  await devops.getByRole("button", { name: "Definition of Lead time for changes" }).focus();
  await page.keyboard.press("Tab");
  await expect(devops.getByRole("button", { name: "Definition of Change fail rate" })).toBeFocused();
  const tooltip = page.getByRole("tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("Failed changes divided by successful deployments");
  await page.keyboard.press("Escape");
  await expect(tooltip).toHaveCount(0);
});

test("the empty states say how to connect a source", async ({ page }) => {
  for (const path of ["/services", "/drift", "/approvals", "/audit"]) {
    await gotoAndSettle(page, path);
    const main = page.getByRole("main");
    await expect(main.getByText("npm start -- --sandbox").first()).toBeVisible();
    await expect(main.getByRole("link", { name: /Configure integrations|Open Settings/ })).toHaveAttribute("href", "/settings");
  }
});
