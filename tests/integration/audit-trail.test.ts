import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AppendAuditInput, appendAudit, appendAuditMany } from "@/lib/audit/append-audit";
import { frozenClock, setClock } from "@/lib/clock";
import { type ViewerContext, systemContext } from "@/lib/data/viewer";
import { listAuditEvents } from "@/lib/data/audit/list-audit-events";
import { listAuditFilterOptions } from "@/lib/data/audit/list-audit-filter-options";
import { exportAuditEvents } from "@/lib/data/audit/export-audit-events";
import { getAuditVerification, verifyAuditChainNow } from "@/lib/data/audit/get-audit-verification";
import type { AuditDeps } from "@/lib/data/audit/audit-query";
import { getDb } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { type AuditEventsDto, type AuditListParams, auditEventsDtoSchema, auditFilterOptionsDtoSchema, auditVerificationDtoSchema } from "@/lib/queries/audit";
import { parseCsv } from "../fixtures/parse-csv";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const NOW = "2026-12-01T12:00:00.000Z";
const HOUR = 3_600_000;

// The route handlers build their context from the request's session; here it is whatever the test sets.
const routeViewer = vi.hoisted(() => ({ current: null as ViewerContext | null }));
vi.mock("@/lib/data/context", () => ({
  getViewerContext: async () => {
    if (!routeViewer.current) throw new Error("no route viewer set");
    return routeViewer.current;
  },
}));

let database: TestDatabase;
let deps: AuditDeps;
let restoreClock: () => void;
const clock = frozenClock(NOW);
const ctx = systemContext(clock);
const viewer = (role: "VIEWER" | "ADMIN" = "VIEWER"): ViewerContext => ({
  viewer: { kind: "user", userId: "00000000-0000-4000-8000-00000000000a", personId: null, role, display: "Vera" },
  requestId: "r-1",
  clientIp: null,
  clock,
});
const ids = { api: "", web: "", alice: "", aliceUser: "", integration: "", app: "" };

const at = (hoursAgo: number) => new Date(Date.parse(NOW) - hoursAgo * HOUR);

async function list(params: AuditListParams): Promise<AuditEventsDto> {
  const dto = await listAuditEvents(ctx, params, deps);
  // What the browser parses is exactly what the data layer returns.
  expect(auditEventsDtoSchema.parse(dto)).toEqual(dto);
  return dto;
}
const actions = async (params: AuditListParams) => (await list({ limit: 200, ...params })).events.map((event) => event.action);

describe("audit trail for people", () => {
  beforeAll(async () => {
    restoreClock = setClock(clock);
    database = await createTestDatabase();
    const { db } = database;
    deps = { db, timeZone: "Europe/Berlin" };
    const team = await db.team.create({ data: { slug: "payments-team", name: "Payments team" } });
    ids.api = (await db.service.create({ data: { slug: "payments-api", name: "Payments API", teamId: team.id } })).id;
    ids.web = (await db.service.create({ data: { slug: "web-storefront", name: "Web storefront" } })).id;
    const alice = await db.person.create({ data: { displayName: "Alice Liddell", identities: { create: [{ kind: "GITHUB", value: "alice-gh", verified: true }] } } });
    ids.alice = alice.id;
    ids.aliceUser = (await db.user.create({ data: { name: "Alice", email: "alice@example.com", role: "ENGINEER", personId: alice.id } })).id;
    const integration = await db.integration.create({ data: { kind: "GITHUB", name: "github.com", origin: "DATABASE", baseUrl: "https://api.github.com" } });
    ids.integration = integration.id;
    await db.repository.create({ data: { integrationId: integration.id, externalId: "1", owner: "acme", name: "payments-api", fullName: "acme/payments-api", defaultBranch: "main" } });
    const argo = await db.integration.create({ data: { kind: "ARGOCD", name: "argo", origin: "DATABASE", baseUrl: "https://argo.example" } });
    ids.app = (
      await db.gitOpsApp.create({
        data: {
          integrationId: argo.id, kind: "ARGOCD_APPLICATION", externalId: "a1", cluster: "in-cluster", namespace: "argocd", name: "payments-api",
          repoUrl: "https://github.com/acme/config", path: "apps/payments", targetRevision: "main", syncStatus: "Synced", healthStatus: "Healthy", autoSync: false,
          sourceUpdatedAt: at(1),
        },
      })
    ).id;

    const events: AppendAuditInput[] = [
      {
        occurredAt: at(50), actor: { kind: "SOURCE", id: "alice-gh", display: "alice-gh" }, action: "pull_request.merged",
        target: { type: "pull_request", id: "acme/payments-api#42", display: "Add refund endpoint" }, serviceId: ids.api, outcome: "success",
        after: { mergeCommitSha: "a".repeat(40) }, source: "github",
      },
      {
        occurredAt: at(40), actor: { kind: "SOURCE", id: "bob", display: "bob" }, action: "deployment.success",
        target: { type: "deployment", id: "github_deployment:7", display: "acme/payments-api → production @ aaaaaaa" }, serviceId: ids.api, outcome: "success",
        after: { status: "SUCCESS", sha: "a".repeat(40) }, source: "github",
      },
      {
        occurredAt: at(30), actor: { kind: "SOURCE", display: "Argo CD (automated)" }, action: "gitops.sync.failed",
        target: { type: "gitops_app", id: "argocd:in-cluster/argocd/payments-api", display: "argocd/payments-api" }, serviceId: ids.api, outcome: "failure",
        after: { revision: "b".repeat(40), message: "hook failed" }, source: "argocd",
      },
      {
        occurredAt: at(20), actor: { kind: "SYSTEM", display: "drift detection" }, action: "drift.detected",
        target: { type: "workload", id: "k8s:in-cluster/web/deployment/storefront", display: "web/storefront" }, serviceId: ids.web, outcome: "failure", source: "drift",
      },
      {
        occurredAt: at(10), actor: { kind: "PERSON", id: ids.aliceUser, display: "Alice" }, action: "sync.requested",
        target: { type: "sync_request", id: "11111111-2222-4333-8444-555555555555", display: "payments-api @ bbbbbbb" }, serviceId: ids.api, outcome: "info",
        source: "dashboard", requestId: "req-abc", clientIp: "10.0.0.7", before: null, after: { reason: "=HYPERLINK(\"x\") ship it, now" },
      },
      {
        occurredAt: at(5), actor: { kind: "PERSON", id: ids.aliceUser, display: "Alice", personId: ids.alice }, action: "sync.approved",
        target: { type: "sync_request", id: "11111111-2222-4333-8444-555555555555" }, serviceId: ids.api, outcome: "success", source: "dashboard",
      },
      {
        occurredAt: at(200), actor: { kind: "ANONYMOUS", display: "anonymous" }, action: "auth.sign-in.failed",
        target: { type: "account", id: "mallory@example.com", display: "mallory@example.com" }, outcome: "denied", source: "dashboard", metadata: { status: 401 },
      },
    ];
    await db.$transaction((tx) => appendAuditMany(tx, events));
  });

  afterAll(async () => {
    restoreClock?.();
    await database?.close();
  });

  it("lists newest first with JSON-safe fields and the org time zone", async () => {
    const dto = await list({});
    expect(dto.events.map((event) => event.seq)).toEqual(["7", "6", "5", "4", "3", "2", "1"]);
    expect(dto.timeZone).toBe("Europe/Berlin");
    expect(dto.nextCursor).toBeNull();
    const requested = dto.events.find((event) => event.action === "sync.requested")!;
    expect(requested).toMatchObject({ requestId: "req-abc", clientIp: "10.0.0.7", service: { slug: "payments-api", name: "Payments API" }, occurredAt: at(10).toISOString() });
    expect(requested.hash).toMatch(/^[0-9a-f]{64}$/);
    // Client addresses are for admins; a viewer sees the event without one.
    const forViewer = (await listAuditEvents(viewer("VIEWER"), {}, deps)).events.find((event) => event.action === "sync.requested")!;
    expect(forViewer).toMatchObject({ requestId: "req-abc", clientIp: null, hash: requested.hash });
    expect((await listAuditEvents(viewer("ADMIN"), {}, deps)).events.find((event) => event.action === "sync.requested")!.clientIp).toBe("10.0.0.7");
  });

  it("filters by service (several), action (exact and prefix), source, outcome, time and person", async () => {
    expect(await actions({ service: ["web-storefront"] })).toEqual(["drift.detected"]);
    expect((await actions({ service: ["web-storefront", "payments-api"] })).length).toBe(6);
    expect(await actions({ action: ["sync.*"] })).toEqual(["sync.approved", "sync.requested"]);
    expect(await actions({ action: ["sync.", "drift.detected"] })).toEqual(["sync.approved", "sync.requested", "drift.detected"]);
    expect(await actions({ action: ["sync.approved"] })).toEqual(["sync.approved"]);
    expect(await actions({ source: ["argocd", "drift"] })).toEqual(["drift.detected", "gitops.sync.failed"]);
    expect(await actions({ outcome: "denied" })).toEqual(["auth.sign-in.failed"]);
    expect(await actions({ range: "24h" })).toEqual(["sync.approved", "sync.requested", "drift.detected"]);
    expect(await actions({ from: at(45).toISOString(), to: at(15).toISOString() })).toEqual(["drift.detected", "gitops.sync.failed", "deployment.success"]);
    // The person: their own event, their account's event without a person id, and their GitHub login's.
    expect(await actions({ person: ids.alice })).toEqual(["sync.approved", "sync.requested", "pull_request.merged"]);
    // Filters combine with AND.
    expect(await actions({ person: ids.alice, source: ["github"] })).toEqual(["pull_request.merged"]);
  });

  it("searches with Postgres full-text search: words anywhere, stems, not partial words", async () => {
    expect(await actions({ q: "refund" })).toEqual(["pull_request.merged"]);
    // Stemmed: "refunds" and "refund" are the same word; "deploying" finds deployment.success and
    // the workload `k8s:…/deployment/storefront`.
    expect(await actions({ q: "refunds" })).toEqual(["pull_request.merged"]);
    expect(await actions({ q: "deploying" })).toEqual(["drift.detected", "deployment.success"]);
    // Punctuation inside identifiers separates words, on both sides.
    expect(await actions({ q: "storefront" })).toEqual(["drift.detected"]);
    expect(await actions({ q: "acme/payments-api#42" })).toEqual(["pull_request.merged"]);
    expect(await actions({ q: "mallory@example.com" })).toEqual(["auth.sign-in.failed"]);
    expect(await actions({ q: "req-abc" })).toEqual(["sync.requested"]);
    // Partial words do not match (documented).
    expect(await actions({ q: "refu" })).toEqual([]);
    // Web search syntax: or, exclusion, phrases.
    expect(await actions({ q: "refund or storefront" })).toEqual(["drift.detected", "pull_request.merged"]);
    expect(await actions({ q: "sync -approved" })).toEqual(["sync.requested", "gitops.sync.failed"]);
    // A service's name finds its events (the name lives in another table).
    expect((await actions({ q: "storefront web" })).length).toBe(1);
    expect((await actions({ q: "Payments API" })).length).toBe(5);
    // Nothing searchable: no filter.
    expect((await actions({ q: "--" })).length).toBe(7);
    // The query's expression is the index's: with sequential scans off, the plan reads the GIN index.
    const plan = await database.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT seq FROM "AuditEvent" e WHERE "audit_event_search_document"(e."actorDisplay", e."action", e."targetType", e."targetId", e."targetDisplay", e."outcome", e."source", e."requestId") @@ websearch_to_tsquery('english', 'refund')`,
      );
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("AuditEvent_search_idx");
  });

  it("derives links from the target", async () => {
    const events = (await list({})).events;
    const linksOf = (action: string) => events.find((event) => event.action === action)!.links.map((link) => link.href);
    expect(linksOf("pull_request.merged")).toEqual(["https://github.com/acme/payments-api/pull/42", `https://github.com/acme/payments-api/commit/${"a".repeat(40)}`]);
    expect(linksOf("deployment.success")).toEqual(["/services/payments-api", `https://github.com/acme/payments-api/commit/${"a".repeat(40)}`]);
    expect(linksOf("gitops.sync.failed")).toEqual([`/drift?target=app-${ids.app}`]);
    expect(linksOf("sync.approved")).toEqual(["/approvals?request=11111111-2222-4333-8444-555555555555"]);
    // No workload row mirrored: no link rather than a dead one.
    expect(linksOf("drift.detected")).toEqual([]);
    expect(linksOf("auth.sign-in.failed")).toEqual([]);
  });

  it("pages by seq: every row exactly once across pages, while others append", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const before = (await list({ limit: 200 })).events.length;
    for (let page = 0; page < 20; page += 1) {
      const dto = await list({ limit: 2, cursor });
      seen.push(...dto.events.map((event) => event.seq));
      // Concurrent appends land above the first page and never shift the pages below.
      await appendAudit(database.db, { occurredAt: at(0), actor: { kind: "SYSTEM", display: "t" }, action: "test.appended", target: { type: "t", id: String(page) }, outcome: "info", source: "test" });
      if (!dto.nextCursor) break;
      cursor = dto.nextCursor;
    }
    expect(seen.length).toBe(before);
    expect(new Set(seen).size).toBe(before);
    expect(seen).toEqual([...seen].sort((a, b) => Number(b) - Number(a)));
    expect(await actions({ action: ["test.*"] })).toHaveLength(4);
  });

  it("keeps a range's window fixed across pages, so time passing between two pages drops no event", async () => {
    const windowed = async (cursor?: string) => await list({ range: "24h", limit: 1, ...(cursor ? { cursor } : {}) });
    const all = (await list({ range: "24h", limit: 200 })).events.map((event) => event.seq);
    expect(all.length).toBeGreaterThan(1);
    const seen: string[] = [];
    let cursor: string | undefined;
    try {
      for (let page = 0; page < all.length + 1; page += 1) {
        const dto = await windowed(cursor);
        seen.push(...dto.events.map((event) => event.seq));
        // Each page is read a little later: recomputed at its own now, the window's start would move past old events.
        clock.advance(6 * HOUR);
        if (!dto.nextCursor) break;
        expect(dto.nextCursor).toMatch(/^\d+@\d+$/);
        cursor = dto.nextCursor;
      }
    } finally {
      clock.set(NOW);
    }
    expect(seen).toEqual(all);
  });

  it("offers the values that have events to the pickers", async () => {
    const options = await listAuditFilterOptions(ctx, deps);
    expect(auditFilterOptionsDtoSchema.parse(options)).toEqual(options);
    expect(options.actions).toContain("gitops.sync.failed");
    expect(options.sources).toEqual(["argocd", "dashboard", "drift", "github", "test"]);
    expect(options.services).toEqual([
      { slug: "payments-api", name: "Payments API" },
      { slug: "web-storefront", name: "Web storefront" },
    ]);
    expect(options.persons).toEqual([{ id: ids.alice, name: "Alice Liddell" }]);
  });

  it("exports CSV that parses back to the listed rows, and JSON, streamed", async () => {
    const filters = { service: ["payments-api"] };
    const listed = (await list({ ...filters, limit: 200 })).events;
    const csv = exportAuditEvents(ctx, { ...filters, format: "csv" }, deps);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const text = await new Response(csv.stream).text();
    const [header, ...rows] = parseCsv(text);
    expect(header!.slice(0, 3)).toEqual(["seq", "occurred_at", "recorded_at"]);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((row) => row[col("seq")])).toEqual(listed.map((event) => event.seq));
    expect(rows.map((row) => row[col("hash")])).toEqual(listed.map((event) => event.hash));
    expect(rows.map((row) => row[col("action")])).toEqual(listed.map((event) => event.action));
    const requested = rows.find((row) => row[col("action")] === "sync.requested")!;
    expect(JSON.parse(requested[col("after")]!)).toEqual({ reason: "=HYPERLINK(\"x\") ship it, now" });
    expect(requested[col("client_ip")]).toBe("10.0.0.7");

    const json = exportAuditEvents(ctx, { ...filters, format: "json" }, deps);
    const document = JSON.parse(await new Response(json.stream).text()) as { events: { seq: string; after: unknown }[]; filters: unknown };
    expect(document.events.map((event) => event.seq)).toEqual(listed.map((event) => event.seq));
    expect(document.filters).toEqual(filters);
  });

  it("exports more than one batch without losing or repeating a row", async () => {
    const many: AppendAuditInput[] = Array.from({ length: 2_345 }, (_, i) => ({
      occurredAt: at(100), actor: { kind: "SYSTEM", display: "bulk" }, action: "bulk.loaded", target: { type: "t", id: `b-${i}` }, outcome: "info", source: "bulk",
    }));
    await database.db.$transaction((tx) => appendAuditMany(tx, many));
    const text = await new Response(exportAuditEvents(ctx, { source: ["bulk"], format: "csv" }, deps).stream).text();
    const [, ...rows] = parseCsv(text);
    expect(rows).toHaveLength(2_345);
    expect(new Set(rows.map((row) => row[0])).size).toBe(2_345);
  });

  it("refuses without a session (401) and a verification by a non-admin (403)", async () => {
    const anonymous: ViewerContext = { ...ctx, viewer: { kind: "anonymous" } };
    await expect(listAuditEvents(anonymous, {}, deps)).rejects.toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    await expect(listAuditFilterOptions(anonymous, deps)).rejects.toMatchObject({ status: 401 });
    expect(() => exportAuditEvents(anonymous, { format: "csv" }, deps)).toThrow(expect.objectContaining({ status: 401 }));
    await expect(getAuditVerification(anonymous, deps)).rejects.toMatchObject({ status: 401 });
    await expect(verifyAuditChainNow(viewer("VIEWER"), { headDir: null }, deps)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    // Every role may read the trail.
    expect((await listAuditEvents(viewer("VIEWER"), { limit: 1 }, deps)).events).toHaveLength(1);
  });

  it("reports never verified, then ok with its age", async () => {
    expect(await getAuditVerification(viewer(), deps)).toMatchObject({ status: "never", canVerify: false });
    const verified = await verifyAuditChainNow(viewer("ADMIN"), { headDir: null }, deps);
    expect(auditVerificationDtoSchema.parse(verified)).toEqual(verified);
    expect(verified).toMatchObject({ status: "ok", ageSeconds: 0, firstBroken: null, canVerify: true });
    clock.advance(180_000);
    expect(await getAuditVerification(viewer(), deps)).toMatchObject({ status: "ok", ageSeconds: 180, checkedEvents: verified.checkedEvents });
  });

  it("route handlers: JSON, 422 on bad parameters, 401 without a session", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = database.url;
    resetEnvCache();
    routeViewer.current = viewer();
    try {
      const listRoute = await import("@/app/api/audit/route");
      const exportRoute = await import("@/app/api/audit/export/route");
      const filtersRoute = await import("@/app/api/audit/filters/route");
      const get = (route: { GET: (request: NextRequest) => Promise<Response> }, query: string) => route.GET(new NextRequest(`http://127.0.0.1/api/audit?${query}`));

      const ok = await get(listRoute, "service=payments-api&action=sync.*&limit=1");
      expect(ok.status).toBe(200);
      const page = auditEventsDtoSchema.parse(await ok.json());
      expect(page.events.map((event) => event.action)).toEqual(["sync.approved"]);
      expect(page.nextCursor).toBe(page.events[0]!.seq);
      expect((await get(filtersRoute, "")).status).toBe(200);

      const download = await get(exportRoute, "source=argocd&format=csv");
      expect(download.status).toBe(200);
      expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="pipeline-health-audit-.*\.csv"$/);
      expect(parseCsv(await download.text())).toHaveLength(2);

      for (const query of ["limit=0", "limit=999", "cursor=abc", "outcome=maybe", "service=Not_A_Slug", "person=alice", "from=yesterday", `from=${NOW}&to=${at(1).toISOString()}`, "range=7d&from=2026-01-01T00:00:00Z", "bogus=1", "range=1y"]) {
        const response = await get(listRoute, query);
        expect(response.status, query).toBe(422);
        expect(((await response.json()) as { error: { code: string; message: string } }).error.code).toBe("UNPROCESSABLE");
      }
      expect((await get(exportRoute, "format=xml")).status).toBe(422);
      expect((await get(filtersRoute, "x=1")).status).toBe(422);

      routeViewer.current = { ...viewer(), viewer: { kind: "anonymous" } };
      expect((await get(listRoute, "")).status).toBe(401);
      expect((await get(exportRoute, "")).status).toBe(401);
    } finally {
      routeViewer.current = null;
      await getDb().$disconnect();
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      resetEnvCache();
    }
  });
});
