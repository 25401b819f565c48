/**
 * Audit trail throughput: appends per second (one writer, then 8 concurrent writers contending for
 * the chain lock) and verification speed. Prints figures; asserts nothing.
 *
 *   npx tsx tests/bench/audit-bench.ts [events=2000]
 * Uses TEST_DATABASE_URL's server when set (a throwaway database), else an in-memory PGlite.
 */
import { appendAudit } from "@/lib/audit/append-audit";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { createTestDatabase } from "../integration/helpers/test-database";

const total = Number(process.argv[2] ?? 2000);
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
await database.close();
