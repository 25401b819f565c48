import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { expect, test } from "./fixtures";

/**
 * A second web server from the same build, pointed at a database that is not there: health must
 * answer 503 with the reason, and pages must render their error state instead of crashing.
 */
let server: ChildProcess;
let baseURL: string;

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  const [port, deadDbPort] = await Promise.all([freePort(), freePort()]);
  baseURL = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${deadDbPort}/postgres`, PIPELINE_HEALTH_EMBEDDED: "" },
    stdio: "ignore",
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch(`${baseURL}/api/health`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error("the second web server did not start");
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("health answers 503 and says the database is unreachable", async ({ request }) => {
  const response = await request.get(`${baseURL}/api/health`);
  expect(response.status()).toBe(503);
  expect(await response.json()).toMatchObject({ status: "unavailable", database: { reachable: false, mode: "external", error: "connection refused" } });
});

test.describe(() => {
  // The browser reports the 503 of the health refetch; that is the expected answer here, not a fault.
  test.use({ allowedConsoleErrors: [/status of 503/] });

  test("a page still renders: sign-in, saying the database is unreachable", async ({ page }) => {
    // No session can be read without the database, so the request fails closed to sign-in.
    const response = await page.goto(`${baseURL}/settings`);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("contentinfo").getByText("Database unreachable")).toBeVisible();
  });
});
