/**
 * Audit trail throughput: appends per second (one writer, then 8 concurrent writers contending for
 * the chain lock) and verification speed; then the Audit page's list latency over a large table
 * (default 1,000,000 rows): a filtered page and a text search, each without and with a cursor deep
 * in the table. Prints figures; asserts nothing.
 *
 *   npx tsx tests/bench/audit-bench.ts [events=2000] [listRows=1000000]
 * Uses TEST_DATABASE_URL's server when set (a throwaway database), else an in-memory PGlite (pass
 * listRows=0 there: a million rows in Wasm takes long).
 */
import pg from "pg";
import { appendAudit } from "@/lib/audit/append-audit";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { frozenClock } from "@/lib/clock";
import { systemContext } from "@/lib/data/viewer";
import { listAuditEvents } from "@/lib/data/audit/list-audit-events";
import type { AuditListParams } from "@/lib/queries/audit";
import { createTestDatabase } from "../integration/helpers/test-database";

const total = Number(process.argv[2] ?? 2000);
const listRows = Number(process.argv[3] ?? 1_000_000);
const database = await createTestDatabase();
const event = (i: number) => ({
  occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
  actor: { kind: "SOURCE" as const, display: "bench" },
  action: "deployment.recorded",
  target: { type: "deployment", id: `d-${i}` },
  outcome: "success" as const,
  source: "bench",
  after: { status: "SUCCESS", index: i },
});

async function timed(label: string, count: number, work: () => Promise<unknown>) {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(34)} ${count} in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)}/s`);
}

console.log(`database: ${database.kind}, ${total} events per phase`);
await timed("append, 1 writer", total, async () => {
  for (let i = 0; i < total; i++) await appendAudit(database.db, event(i));
});
await timed("append, 8 concurrent writers", total, async () => {
  let next = total;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total * 2) await appendAudit(database.db, event(next++));
    }),
  );
});
await timed("verify whole chain", total * 2, async () => {
  const result = await verifyAuditChain(database.db);
  if (!result.ok) throw new Error(`chain broken: ${JSON.stringify(result.firstBroken)}`);
});
if (listRows > 0) {
  // Bulk rows straight in SQL: the list does not read hashes, only needs them unique. Spread like
  // a real org: 40 services (one rare: every 10,000th row), 12 actions, 5 sources, 200 actors.
  const { db } = database;
  // A plain connection without the app's statement timeout: each bulk statement runs for a while.
  const bulk = new pg.Client({ connectionString: database.url });
  await bulk.connect();
  await bulk.query("SET statement_timeout = 0");
  await db.$executeRawUnsafe(`INSERT INTO "Service" (slug, name, "updatedAt") SELECT 'svc-' || i, 'Service ' || i, now() FROM generate_series(0, 39) i`);
  await db.$executeRawUnsafe(`INSERT INTO "Service" (slug, name, "updatedAt") VALUES ('rare-svc', 'Rarely touched', now())`);
  let started = performance.now();
  const chunk = 100_000;
  for (let start = 0; start < listRows; start += chunk) {
    await bulk.query(`
      INSERT INTO "AuditEvent" ("occurredAt", "recordedAt", "actorKind", "actorId", "actorDisplay", action, "targetType", "targetId", "targetDisplay", "serviceId", outcome, source, "prevHash", hash)
      SELECT timestamptz '2025-01-01' + i * interval '30 seconds', timestamptz '2025-01-01' + i * interval '30 seconds', 'SOURCE', 'user-' || (i % 200), 'user-' || (i % 200),
             (ARRAY['deployment.started','deployment.success','deployment.failure','pull_request.merged','gitops.sync.started','gitops.sync.succeeded','gitops.sync.failed','drift.detected','drift.resolved','incident.opened','sync.requested','sync.approved'])[1 + i % 12],
             'deployment', 'github_deployment:' || i, 'acme/svc-' || (i % 40) || ' → production @ ' || substr(md5(i::text), 1, 7) || CASE WHEN i % 50000 = 7 THEN ' quarantined rollout' ELSE '' END,
             (SELECT id FROM "Service" WHERE slug = CASE WHEN i % 10000 = 3 THEN 'rare-svc' ELSE 'svc-' || (i % 40) END),
             (ARRAY['success','failure','info'])[1 + i % 3], (ARRAY['github','argocd','flux','drift','dashboard'])[1 + i % 5], 'p' || i || md5(i::text), 'h' || i || md5(i::text)
      FROM generate_series(${start + 1}, ${Math.min(start + chunk, listRows)}) i`);
  }
  await bulk.query(`ANALYZE "AuditEvent"`);
  await bulk.end();
  console.log(`loaded ${listRows} rows for the list in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const ctx = systemContext(frozenClock("2026-12-01T00:00:00Z"));
  const deps = { db, timeZone: "UTC" };
  const deep = String(Math.floor(listRows / 2));
  async function latency(label: string, params: AuditListParams) {
    const times: number[] = [];
    let count = 0;
    for (let run = 0; run < 7; run += 1) {
      started = performance.now();
      count = (await listAuditEvents(ctx, params, deps)).events.length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`${label.padEnd(52)} median ${times[3]!.toFixed(1).padStart(7)} ms  max ${times[6]!.toFixed(1).padStart(7)} ms  (${count} rows)`);
  }
  console.log(`list page latency over ${listRows} rows (50 per page, 7 runs):`);
  await latency("newest page, no filter", {});
  await latency("no filter, cursor mid-table", { cursor: deep });
  await latency("service (1 of 40), first page", { service: ["svc-7"] });
  await latency("service (1 of 40), cursor mid-table", { service: ["svc-7"], cursor: deep });
  await latency("rare service (1 in 10,000), first page", { service: ["rare-svc"] });
  await latency("rare service, cursor mid-table", { service: ["rare-svc"], cursor: deep });
  await latency("action prefix sync.* + source argocd", { action: ["sync.*"], source: ["argocd"] });
  await latency("search common word (deployment), first page", { q: "deployment" });
  await latency("search common word, cursor mid-table", { q: "deployment", cursor: deep });
  await latency("search rare words (quarantined rollout)", { q: "quarantined rollout" });
  await latency("search rare words, cursor mid-table", { q: "quarantined rollout", cursor: deep });
  await latency("search + service filter", { q: "failure", service: ["svc-3"] });
}
await database.close();
