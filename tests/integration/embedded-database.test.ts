import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { EmbeddedDatabaseError, findRunningEmbeddedDatabase, freePort, startEmbeddedDatabase } from "@/lib/db/embedded";

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded database", () => {
  it("keeps its data across a restart and serves several connections at once", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ph-embedded-"));
    const first = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    expect(findRunningEmbeddedDatabase(dataDir)).toBeNull(); // this process's own lock is not "another" server
    await query(first.url, "CREATE TABLE kept (note text)");
    await query(first.url, "INSERT INTO kept VALUES ('still here')");
    const parallel = await Promise.all(Array.from({ length: 5 }, (_, i) => query<{ n: number }>(first.url, `SELECT ${i} AS n`)));
    expect(parallel.map((rows) => rows[0]!.n)).toEqual([0, 1, 2, 3, 4]);
    await first.stop();
    expect(existsSync(path.join(dataDir, "embedded-db.json"))).toBe(false);

    const second = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    expect(await query<{ note: string }>(second.url, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    await second.stop();
  });

  it("refuses a port that is already in use, saying which and how to fix it", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const dataDir = mkdtempSync(path.join(tmpdir(), "ph-embedded-"));
      await expect(startEmbeddedDatabase({ dataDir, port })).rejects.toThrow(new EmbeddedDatabaseError(`Port ${port} on 127.0.0.1 is already in use, so the embedded database cannot listen there. Stop what uses it, or set EMBEDDED_DB_PORT to a free port.`));
    } finally {
      blocker.close();
    }
  });

  it("refuses a data folder it cannot use, and deletes nothing", async () => {
    const parent = mkdtempSync(path.join(tmpdir(), "ph-embedded-"));
    const file = path.join(parent, "not-a-folder");
    writeFileSync(file, "precious");
    await expect(startEmbeddedDatabase({ dataDir: path.join(file, "data"), port: await freePort() })).rejects.toThrow(
      /The data folder .*not-a-folder\/data cannot be read or written \(ENOTDIR\).*PIPELINE_HEALTH_DATA_DIR.*Nothing was deleted/,
    );
    expect(readdirSync(parent)).toEqual(["not-a-folder"]);
  });

  it("lets exactly one of two servers racing for one folder open it", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ph-embedded-"));
    const results = await Promise.allSettled([startEmbeddedDatabase({ dataDir, port: await freePort() }), startEmbeddedDatabase({ dataDir, port: await freePort() })]);
    const started = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toContain(`already served by process ${process.pid}`);
    await (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startEmbeddedDatabase>>>).value.stop();
  });

  it("takes over a lock left by a process that is gone, deleting no data", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ph-embedded-"));
    const gone = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
    writeFileSync(path.join(dataDir, "embedded-db.json"), JSON.stringify({ pid: Number(gone.stdout.trim()), port: 5999 }));
    const db = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    expect(JSON.parse(readFileSync(path.join(dataDir, "embedded-db.json"), "utf8")).pid).toBe(process.pid);
    await db.stop();
  });

  it("refuses a second server on a folder another live process is serving", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ph-embedded-"));
    // A live process that is not us: the lock names it, and nothing may be taken over.
    const sleeper = spawnSync("sh", ["-c", "sleep 30 >/dev/null 2>&1 & echo $!"], { encoding: "utf8" });
    const pid = Number(sleeper.stdout.trim());
    writeFileSync(path.join(dataDir, "embedded-db.json"), JSON.stringify({ pid, port: 5999 }));
    try {
      expect(findRunningEmbeddedDatabase(dataDir)).toEqual({ pid, url: "postgresql://postgres:postgres@127.0.0.1:5999/postgres?sslmode=disable" });
      await expect(startEmbeddedDatabase({ dataDir, port: await freePort() })).rejects.toThrow(`already served by process ${pid}`);
    } finally {
      process.kill(pid);
    }
  });
});

describe("embedded database under concurrent clients", () => {
  it("keeps each connection's parameterised queries and transactions intact across processes", async () => {
    const db = await startEmbeddedDatabase({ dataDir: null, port: await freePort() });
    try {
      // Three processes, like web, worker and CLI: each mixes transactions and plain parameterised queries.
      const outputs = await Promise.all(
        [1, 2, 3].map(
          (k) =>
            new Promise<string>((resolve) => {
              const child = spawn(process.execPath, ["tests/fixtures/embedded-load-client.mjs", db.url, String(k)]);
              let out = "";
              child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
              child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
              child.on("exit", () => resolve(out.trim()));
            }),
        ),
      );
      expect(outputs.map((line) => JSON.parse(line))).toEqual([
        { ok: 960, errors: 0, wrong: 0 },
        { ok: 960, errors: 0, wrong: 0 },
        { ok: 960, errors: 0, wrong: 0 },
      ]);
    } finally {
      await db.stop();
    }
  }, 120_000);
});
