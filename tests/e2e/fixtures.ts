import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

/** Every top-level page of the shell, with the heading it must show. */
export const appPages = [
  { path: "/", label: "Overview", heading: "Overview", slug: "overview" },
  { path: "/services", label: "Services", heading: "Services", slug: "services" },
  { path: "/drift", label: "Drift", heading: "Drift", slug: "drift" },
  { path: "/approvals", label: "Approvals", heading: "Approvals", slug: "approvals" },
  { path: "/audit", label: "Audit", heading: "Audit", slug: "audit" },
  { path: "/settings", label: "Settings", heading: "Settings", slug: "settings" },
] as const;

export type AppPage = (typeof appPages)[number];

type Fixtures = {
  /** Console errors and uncaught page errors seen during the test, as readable lines. */
  browserErrors: string[];
  /** Patterns of console errors a test expects (e.g. the 404 of a missing page). */
  allowedConsoleErrors: RegExp[];
};

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],

  // Auto: every test fails if the browser logged an unexpected error, so a CSP violation or a
  // hydration mismatch cannot hide behind a test that looks at something else.
  browserErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const text = message.text();
        if (allowedConsoleErrors.some((pattern) => pattern.test(text))) return;
        errors.push(`console.error at ${page.url()}: ${text}`);
      });
      page.on("pageerror", (error) => errors.push(`pageerror at ${page.url()}: ${error.message}`));
      await use(errors);
      expect(errors, "the browser logged errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Opens a page and waits until its data widgets have settled: the shell's database status is
 * the one widget on every page, so its final text means the health query has resolved.
 */
export async function gotoAndSettle(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole("contentinfo").getByText(/^Database (connected|unreachable)$|migrations? pending/)).toBeVisible();
  // Skeletons announce "Loading …" in a status region; other status regions (save messages) may stay.
  await expect(page.getByRole("status").filter({ hasText: /^Loading / })).toHaveCount(0);
}

/**
 * Waits until the sandbox's first backfill has finished and no run is going, so counts read now
 * stay put for the rest of the test (npm start syncs in the background right after it starts).
 */
export async function waitForIdleSandbox(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await request.get("/api/integrations");
        if (response.status() !== 200) return false;
        const body = (await response.json()) as { integrations: { name: string; origin?: string; lastSyncedAt: string | null; currentRun: unknown }[] };
        // GitHub's sandbox, and its Argo CD and Kubernetes: each has finished its first pass.
        const sandboxes = body.integrations.filter((integration) => integration.name === "sandbox" || integration.name.startsWith("sandbox-"));
        const github = sandboxes.find((integration) => integration.name === "sandbox");
        // The cluster sources completed after GitHub's sync too (their refresh reads what it brought).
        return (
          sandboxes.length >= 3 &&
          sandboxes.every((integration) => integration.lastSyncedAt !== null && integration.currentRun === null) &&
          sandboxes.every((integration) => Date.parse(integration.lastSyncedAt!) >= Date.parse(github!.lastSyncedAt!))
        );
      },
      { timeout: 180_000, intervals: [1_000, 2_000, 5_000] },
    )
    .toBe(true);
}
