import { spawnSync } from "node:child_process";
import net from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";
import { listMigrations } from "@/lib/db/migrate";

/** Runs the real CLI entry point, as `npm start` does, without building the web app. */
function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
    env: { ...process.env, DATABASE_URL: "", TEST_DATABASE_URL: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("npm start fails clearly and exits non-zero", () => {
  it("when DATABASE_URL cannot be reached", async () => {
    const port = await freePort();
    const { code, output } = runCli(["start", "--no-build"], { DATABASE_URL: `postgresql://app:secret@127.0.0.1:${port}/pipeline` });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot reach the database at 127.0.0.1:${port}/pipeline (DATABASE_URL): ECONNREFUSED`);
    expect(output).not.toContain("secret");
  });

  it("when the embedded database's port is taken", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const dataDir = mkdtempSync(path.join(tmpdir(), "ph-cli-"));
      const { code, output } = runCli(["start", "--no-build"], { PIPELINE_HEALTH_DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(output).toContain("EMBEDDED_DB_PORT");
    } finally {
      blocker.close();
    }
  });

  it("when configuration is invalid, naming every bad variable", () => {
    const { code, output } = runCli(["start", "--no-build"], { ORG_TIMEZONE: "Mars/Olympus", PORT: "99999" });
    expect(code).toBe(1);
    expect(output).toContain('ORG_TIMEZONE: must be an IANA time zone such as UTC or Europe/Berlin (got "Mars/Olympus")');
    expect(output).toContain('PORT: must be 1–65535 (got "99999")');
  });

  it("rejects a port of 0 for the embedded database, which others could not find", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ph-cli-"));
    const { code, output } = runCli(["migrate"], { PIPELINE_HEALTH_DATA_DIR: dataDir, EMBEDDED_DB_PORT: "0" });
    expect(code).toBe(1);
    expect(output).toContain('EMBEDDED_DB_PORT: must be 1–65535 (got "0")');
  });
});

describe("npm run db:migrate on the embedded database", () => {
  it("applies every migration once and keeps them across runs", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ph-cli-"));
    const env = { PIPELINE_HEALTH_DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(await freePort()) };
    const first = runCli(["migrate"], env);
    expect(first.code).toBe(0);
    expect(first.output).toContain(`Applied ${listMigrations().length} migration(s).`);
    const second = runCli(["migrate"], env);
    expect(second.code).toBe(0);
    expect(second.output).toContain("Database is up to date.");
  });
});
