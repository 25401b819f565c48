import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { randomUUID } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded database: PGlite (Postgres compiled to Wasm) persisted under the data folder and
 * served on a loopback port, so web, worker and CLI all speak ordinary Postgres through one URL.
 * It is one Postgres session shared by all connections (DESIGN §10): keep transactions short.
 */

export class EmbeddedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedDatabaseError";
  }
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string | null;
  stop(): Promise<void>;
}

interface LockInfo {
  pid: number;
  port: number;
  /** Tells two servers of one process apart (tests start several). */
  token?: string;
}

const LOCK_FILE = "embedded-db.json";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function embeddedUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** The embedded database another process (usually `npm start`) is serving from this folder, if any. */
export function findRunningEmbeddedDatabase(dataDir: string): { url: string; pid: number } | null {
  const file = path.join(dataDir, LOCK_FILE);
  if (!existsSync(file)) return null;
  try {
    const lock = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    return isAlive(lock.pid) && lock.pid !== process.pid ? { url: embeddedUrl(lock.port), pid: lock.pid } : null;
  } catch {
    return null;
  }
}

function prepareDataDir(dataDir: string): void {
  try {
    // Owner-only: the embedded server has no password, so the files are the boundary.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `The data folder ${dataDir} cannot be read or written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
        `Fix its permissions, or point PIPELINE_HEALTH_DATA_DIR at a writable folder. Nothing was deleted.`,
    );
  }
  const pgdata = path.join(dataDir, "pgdata");
  if (existsSync(pgdata)) {
    try {
      accessSync(pgdata, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch {
      throw new EmbeddedDatabaseError(`The database folder ${pgdata} exists but cannot be read or written. Fix its permissions; nothing was deleted.`);
    }
  }
}

async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new EmbeddedDatabaseError(
          error.code === "EADDRINUSE"
            ? `Port ${port} on ${host} is already in use, so the embedded database cannot listen there. Stop what uses it, or set EMBEDDED_DB_PORT to a free port.`
            : `Cannot listen on ${host}:${port} for the embedded database: ${error.message}`,
        ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * Starts PGlite on `dataDir` (or in memory when null) and serves it on 127.0.0.1:`port`.
 * Refuses, without touching any file, when another live process already serves the same folder.
 */
export async function startEmbeddedDatabase(options: { dataDir: string | null; port: number }): Promise<EmbeddedDatabase> {
  const host = "127.0.0.1";
  const { dataDir, port } = options;
  if (dataDir) {
    prepareDataDir(dataDir);
    const running = findRunningEmbeddedDatabase(dataDir);
    if (running) {
      throw new EmbeddedDatabaseError(`The embedded database in ${dataDir} is already served by process ${running.pid} (${running.url}). Stop that process first, or use its URL.`);
    }
  }
  await assertPortFree(host, port);
  // The lock is taken before PGlite opens the files: two processes starting together must never both open them.
  const lockFile = dataDir ? acquireLock(path.join(dataDir, LOCK_FILE), { pid: process.pid, port, token: randomUUID() }) : null;
  const releaseLock = () => {
    if (lockFile) rmSync(lockFile, { force: true });
  };

  let db: PGlite;
  try {
    db = await PGlite.create(dataDir ? path.join(dataDir, "pgdata") : undefined);
  } catch (error) {
    releaseLock();
    throw new EmbeddedDatabaseError(
      `The embedded database in ${dataDir ?? "memory"} could not be opened: ${(error as Error).message}. Nothing was deleted; move the folder aside to start fresh.`,
    );
  }
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 64 });
  keepExtendedQueriesTogether(server, db);
  try {
    await server.start();
  } catch (error) {
    await db.close();
    releaseLock();
    throw new EmbeddedDatabaseError(`The embedded database could not listen on ${host}:${port}: ${(error as Error).message}. Set EMBEDDED_DB_PORT to a free port.`);
  }

  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      releaseLock();
    },
  };
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

interface SocketQueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Extended-protocol messages that leave the unnamed statement or portal half-built until Sync.
const EXTENDED_MESSAGES = new Set(["P", "B", "D", "E", "C", "H"].map((letter) => letter.charCodeAt(0)));

/**
 * pglite-socket runs one protocol message at a time from whichever connection is next, and keeps a
 * connection's turn only inside a transaction. A client's Parse, Bind, Execute and Sync can then be
 * interleaved with another connection's, whose Parse replaces the shared unnamed statement: seen as
 * "bind message supplies 1 parameters, but prepared statement \"\" requires 2", or a hang, once the
 * web server and a worker write concurrently. This keeps a connection's turn from its first
 * extended-protocol message to its Sync, as a real server's separate sessions would.
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue: SocketQueryQueue }).queryQueue;
  let pinned: number | null = null;
  const clearForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearForHandler(handlerId);
    if (pinned === handlerId) {
      pinned = null;
      void queue.processQueue();
    }
  };
  queue.processQueue = async function processQueue(this: SocketQueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = pinned ?? (db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The connection whose turn it is has not sent its next message yet: wait for it.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        const type = item.message[0] ?? 0;
        try {
          let bytes = 0;
          await db.runExclusive(async () => {
            await db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            });
          });
          this.lastHandlerId = item.handlerId;
          pinned = EXTENDED_MESSAGES.has(type) ? item.handlerId : null;
          item.resolve(bytes);
        } catch (error) {
          pinned = null;
          item.reject(error);
        }
      }
    } finally {
      this.processing = false;
    }
  };
}

/**
 * Creates the lock file exclusively (`wx`), so of two processes racing for one folder exactly one
 * wins. A lock left by a process that is gone is replaced atomically (write aside, rename over).
 */
function acquireLock(file: string, info: LockInfo): string {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify(info));
      } finally {
        closeSync(fd);
      }
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder: LockInfo | null = null;
    try {
      holder = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    } catch {
      // Unreadable or half-written: treated as stale below, like a dead holder.
    }
    if (holder && isAlive(holder.pid)) {
      throw new EmbeddedDatabaseError(
        `The embedded database in ${path.dirname(file)} is already served by process ${holder.pid} (${embeddedUrl(holder.port)}). Stop that process first, or use its URL.`,
      );
    }
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(info), { mode: 0o600 });
    renameSync(aside, file);
    // Another process may have replaced the stale lock at the same moment: only the last rename stands.
    const now = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    if (now.token === info.token) return file;
  }
  throw new EmbeddedDatabaseError(`Could not take the lock ${file}; another process keeps taking it. Stop other Pipeline Health processes using this folder.`);
}

/** A free loopback port, for tests and throwaway databases. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
