import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * `npm start` as a user runs it, beside the suite's own server (reusing its build): it prints the
 * URL, stops web, worker and embedded database on SIGTERM with exit code 0, and a restart finds
 * the data it left.
 */
async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function startProduct(dataDir: string, port: number, dbPort: number, sandboxPort: number) {
  let output = "";
  const child = spawn("npm", ["start", "--", "--port", String(port), "--no-build"], {
    env: { ...process.env, DATABASE_URL: "", PIPELINE_HEALTH_DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(dbPort), SANDBOX_PORT: String(sandboxPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function portOpen(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => socket.destroy() && resolve(true));
    socket.once("error", () => resolve(false));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return await exited;
}

test("npm start serves, stops cleanly on SIGTERM, and keeps its data across a restart", async () => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "ph-start-"));
  const [port, dbPort, sandboxPort] = await Promise.all([freePort(), freePort(), freePort()]);

  const first = startProduct(dataDir, port, dbPort, sandboxPort);
  await waitFor(() => first.output().includes(`Pipeline Health is running at http://localhost:${port}`), "the URL");
  expect(first.output()).toMatch(/Migrations: applied \d+\./);
  const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
  expect(health).toMatchObject({ status: "ok", database: { reachable: true, mode: "embedded" } });
  expect(existsSync(path.join(dataDir, "embedded-db.json"))).toBe(true);

  expect(await stop(first.child)).toBe(0);
  expect(await portOpen(port)).toBe(false);
  expect(await portOpen(dbPort)).toBe(false);
  expect(await portOpen(sandboxPort)).toBe(false);
  expect(existsSync(path.join(dataDir, "embedded-db.json"))).toBe(false);

  const second = startProduct(dataDir, port, dbPort, sandboxPort);
  await waitFor(() => second.output().includes("Pipeline Health is running"), "the restart");
  expect(second.output()).toContain("Migrations: up to date.");
  const again = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
  expect(again.migrations).toEqual(health.migrations);
  expect(await stop(second.child)).toBe(0);
});
