import AxeBuilder from "@axe-core/playwright";
import { appPages, expect, gotoAndSettle, test } from "./fixtures";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"];

for (const scheme of ["light", "dark"] as const) {
  test.describe(`axe, ${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    for (const target of appPages) {
      test(`${target.label} has no serious or critical WCAG violation`, async ({ page }) => {
        await gotoAndSettle(page, target.path);
        const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
        const blocking = results.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => ({
            rule: violation.id,
            impact: violation.impact,
            help: violation.help,
            targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
          }));
        expect(blocking).toEqual([]);
        // axe must actually have checked something, or an empty result proves nothing.
        expect(results.passes.length).toBeGreaterThan(10);
      });
    }
  });
}
