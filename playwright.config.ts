import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { storageStatePath } from "./tests/e2e/auth-state";

/**
 * End-to-end tests run against the product exactly as a user starts it: `npm start`
 * (build if stale, migrate, embedded Postgres, web + worker) on a throwaway data folder.
 */
const port = Number(process.env.E2E_PORT ?? 3107);
// The config is evaluated again in every worker; the env var pins one folder for the whole run.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "pipeline-health-e2e-"));

/** Debian's Chromium when present (these machines cannot download Playwright's browsers). */
function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

const browser = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1280, height: 800 },
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  },
};

export default defineConfig({
  testDir: "tests/e2e",
  globalTeardown: "./tests/e2e/global-teardown.ts",
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    contextOptions: { reducedMotion: "reduce" },
  },
  projects: [
    { name: "sign-in", testMatch: /auth\.setup\.ts$/, use: { ...browser } },
    {
      name: "chromium",
      dependencies: ["sign-in"],
      // Signed in as a viewer unless a test asks for another role (`test.use({ storageState })`).
      use: { ...browser, storageState: storageStatePath("VIEWER") },
    },
  ],
  webServer: {
    command: `npm start -- --port ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    // SIGTERM, as a process manager would: the product's own clean shutdown runs at the end of every suite.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PIPELINE_HEALTH_DATA_DIR: process.env.E2E_DATA_DIR,
      EMBEDDED_DB_PORT: String(port + 1000),
      SANDBOX_PORT: String(port + 2000),
      // The product must run as a user starts it: no database configured means embedded.
      DATABASE_URL: "",
    },
  },
});
