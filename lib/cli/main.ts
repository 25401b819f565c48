import { parseArgs } from "node:util";
import { EnvError } from "@/lib/env";

/**
 * Command-line entry point: `npm start`, `npm run worker`, `npm run db:migrate` and
 * `npm run cli -- <command>` all come through here, so every process shares one code path.
 */

const USAGE = `Usage: npm run cli -- <command>

  start [--port N] [--host H] [--no-build] [--sandbox]
                                              build if stale, migrate, run web + worker (npm start);
                                              the sandbox org runs when no source is configured, or with --sandbox
  worker                                      run one job worker (npm run worker)
  migrate                                     apply pending migrations (npm run db:migrate)
  sync [--sandbox]                            ingest every configured source once (the sandbox org when none is)
  migrate-draft <name>                        draft the next migration from schema.prisma (needs DRAFT_DATABASE_URL)
  generate                                    generate the Prisma client (npm run db:generate)
  build [--force]                             build the web app if stale
  audit verify                                verify the audit hash chain and the heads copied to the data
                                              folder; names the first broken link; exit 1 when broken
  metrics [--json] [--from ISO] [--to ISO] [--days N] [--team NAMES] [--environment NAMES] [--service SLUG]
                                              DORA metrics for [from, to) (default: the last 90 days) per
                                              service, team and cohort, and DevOps vs GitOps with bootstrap
                                              intervals; NAMES are comma-separated; --json prints one JSON object
  users add --email E --name N --role R [--password-stdin]
                                              create or update a sign-in account (role: viewer, engineer,
                                              approver or admin); prints a generated password once
  people link                                 link GitHub logins, commit e-mails and Argo CD users into
                                              persons and fill commit, PR and deployment authors (idempotent)
`;

// Commands that load the Prisma client; it is generated code (not committed), so a fresh clone
// must generate it before any of those modules is imported.
const NEEDS_PRISMA_CLIENT = new Set(["start", "worker", "sync", "audit", "users", "metrics"]);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command && NEEDS_PRISMA_CLIENT.has(command)) {
    const { ensurePrismaClient } = await import("@/lib/cli/build");
    ensurePrismaClient();
  }
  switch (command) {
    case "start": {
      const { values } = parseArgs({ args: rest, options: { port: { type: "string" }, host: { type: "string" }, "no-build": { type: "boolean" }, sandbox: { type: "boolean" } } });
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new EnvError([`--port: must be 1–65535 (got ${JSON.stringify(values.port)})`]);
      const { runStart } = await import("@/lib/cli/commands/start");
      return await runStart({ port, host: values.host, build: !values["no-build"], sandbox: !!values.sandbox });
    }
    case "worker": {
      const { runWorker } = await import("@/lib/cli/commands/worker");
      return await runWorker();
    }
    case "migrate": {
      const { resolveDatabase } = await import("@/lib/cli/database");
      const { migrate } = await import("@/lib/db/migrate");
      const database = await resolveDatabase();
      try {
        const applied = await migrate(database.url, { log: (line) => console.log(line) });
        console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Database is up to date.");
        return 0;
      } finally {
        await database.release();
      }
    }
    case "migrate-draft": {
      const { runMigrateDraft } = await import("@/lib/cli/commands/migrate-draft");
      return await runMigrateDraft(rest[0]);
    }
    case "sync": {
      const { values } = parseArgs({ args: rest, options: { sandbox: { type: "boolean" } } });
      const { runSync } = await import("@/lib/cli/commands/sync");
      return await runSync({ sandbox: !!values.sandbox });
    }
    case "generate": {
      const { ensurePrismaClient } = await import("@/lib/cli/build");
      ensurePrismaClient({ force: true });
      return 0;
    }
    case "build": {
      const { ensureBuild } = await import("@/lib/cli/build");
      ensureBuild({ force: rest.includes("--force") });
      return 0;
    }
    case "audit": {
      if (rest[0] !== "verify") break;
      const { resolveDatabase } = await import("@/lib/cli/database");
      const { createPrismaClient } = await import("@/lib/db/client");
      const { verifyAndRecordAuditChain } = await import("@/lib/audit/verify-audit");
      const { chainHeadLogLine, chainHeadPath, defaultChainHeadDir, readChainHeads } = await import("@/lib/audit/chain-head");
      const database = await resolveDatabase();
      const db = createPrismaClient(database.url, { poolMax: 2 });
      try {
        // Also against the heads the worker copied outside the database: a rewritten tail links up, a copy does not lie.
        const dir = defaultChainHeadDir();
        const heads = await readChainHeads(dir);
        const result = await verifyAndRecordAuditChain(db, { heads });
        console.log(JSON.stringify({ ...result, copiedHeads: { file: chainHeadPath(dir), count: heads.length, latest: heads.at(-1) ?? null } }, null, 2));
        console.log(chainHeadLogLine(result));
        if (result.firstBroken) console.error(`First broken link: event #${result.firstBroken.seq}: ${result.firstBroken.problem}`);
        return result.ok ? 0 : 1;
      } finally {
        await db.$disconnect();
        await database.release();
      }
    }
    case "metrics": {
      const { runMetrics } = await import("@/lib/cli/commands/metrics");
      return await runMetrics(rest);
    }
    case "users": {
      const { runUsers } = await import("@/lib/cli/commands/users");
      return await runUsers(rest);
    }
    case "people": {
      const { runPeople } = await import("@/lib/cli/commands/people");
      return await runPeople(rest);
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return 0;
  }
  console.error(`Unknown command: ${argv.join(" ")}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Expected failures (configuration, database, ports) carry a message written for a person.
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exit(1);
  },
);
