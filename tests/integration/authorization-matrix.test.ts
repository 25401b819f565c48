import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import type { Role } from "@/lib/db/generated/enums";
import { type Permission, PERMISSIONS, type ViewerContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { previewCatalogChange, applyCatalogChange } from "@/lib/data/catalog/change-catalog";
import { createGithubIntegration } from "@/lib/data/integrations/create-integration";
import { removeIntegration } from "@/lib/data/integrations/integration-removal";
import { requestIntegrationSync } from "@/lib/data/integrations/request-integration-sync";
import { verifyAuditChainNow } from "@/lib/data/audit/get-audit-verification";
import { getPeople } from "@/lib/data/people/get-people";
import { changeUserRole, revokeUserSessions, setUserDisabled } from "@/lib/data/people/manage-users";
import { linkIdentity, mergePersons, unlinkIdentity } from "@/lib/data/people/manage-persons";
import { requestSync } from "@/lib/data/approvals/request-sync";
import { cancelSyncRequest, decideSyncRequest } from "@/lib/data/approvals/decide-sync-request";
import type { Db } from "@/lib/db/client";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The role-by-action matrix: every changing route handler under app/api (found in the file tree) has
 * a row saying which permission guards it and how to call the data function behind it. Each row is
 * called once per role: a role PERMISSIONS allows must get past authorization (any answer but 401/403;
 * the made-up ids make most of them a 404), every other role must get a 403, anonymous a 401.
 *
 * A new changing route fails the first test until it has a row here: add
 * `"METHOD /api/path/[param]": { permission: "<key of PERMISSIONS>", invoke: (ctx, f) => dataFunction(ctx, …, f.db) }`.
 */

const ROLES: readonly Role[] = ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"];
const NOBODY = "00000000-0000-4000-8000-000000000000";
const SOMEONE_ELSE = "00000000-0000-4000-8000-000000000001";

interface Fixtures {
  db: Db;
}

type Row = { permission: Permission; invoke: (ctx: ViewerContext, f: Fixtures) => Promise<unknown> };

const env = parseEnv({ ENCRYPTION_KEY: "k".repeat(40), PRODUCTION_ENVIRONMENTS: "^prod" });
const integrationDeps = (f: Fixtures) => ({ db: f.db, env, enqueue: async () => "queued" as const });
const catalogDeps = (f: Fixtures) => ({ db: f.db, productionPattern: "^prod" });
const approvalDeps = (f: Fixtures) => ({ db: f.db, env, enqueueExecution: async () => {}, imagesAt: async () => null });
const classify = { kind: "classify-environment" as const, name: "staging", isProduction: true };

export const MUTATIONS: Record<string, Row> = {
  "POST /api/catalog/preview": { permission: "settings:manage", invoke: (ctx, f) => previewCatalogChange(ctx, classify, catalogDeps(f)) },
  "POST /api/catalog/changes": { permission: "settings:manage", invoke: (ctx, f) => applyCatalogChange(ctx, { ...classify, expectedFingerprint: "0".repeat(64) }, catalogDeps(f)) },
  "POST /api/integrations": {
    permission: "settings:manage",
    invoke: (ctx, f) => createGithubIntegration(ctx, { name: `matrix-${ctx.requestId}`, baseUrl: "http://127.0.0.1:9", token: "t", org: "acme" }, integrationDeps(f)),
  },
  "DELETE /api/integrations/[id]": { permission: "settings:manage", invoke: (ctx, f) => removeIntegration(ctx, NOBODY, { confirmName: "x" }, { db: f.db }) },
  "POST /api/integrations/[id]/sync": { permission: "settings:manage", invoke: (ctx, f) => requestIntegrationSync(ctx, NOBODY, integrationDeps(f)) },
  "POST /api/audit/verification": { permission: "settings:manage", invoke: (ctx, f) => verifyAuditChainNow(ctx, { headDir: null }, { db: f.db }) },
  "POST /api/sync-requests": { permission: "sync:request", invoke: (ctx, f) => requestSync(ctx, { appId: NOBODY, revision: "abc1234", reason: "matrix" }, approvalDeps(f)) },
  "POST /api/sync-requests/[id]/cancel": { permission: "sync:request", invoke: (ctx, f) => cancelSyncRequest(ctx, NOBODY, approvalDeps(f)) },
  "POST /api/sync-requests/[id]/decision": { permission: "sync:approve", invoke: (ctx, f) => decideSyncRequest(ctx, NOBODY, { decision: "approve", comment: "" }, approvalDeps(f)) },
  "POST /api/users/[id]/role": { permission: "people:manage", invoke: (ctx, f) => changeUserRole(ctx, { userId: NOBODY, role: "ADMIN" }, f.db) },
  "POST /api/users/[id]/disabled": { permission: "people:manage", invoke: (ctx, f) => setUserDisabled(ctx, { userId: NOBODY, disabled: true }, f.db) },
  "DELETE /api/users/[id]/sessions": { permission: "people:manage", invoke: (ctx, f) => revokeUserSessions(ctx, { userId: NOBODY }, f.db) },
  "POST /api/people/[id]/identities": { permission: "people:manage", invoke: (ctx, f) => linkIdentity(ctx, { personId: NOBODY, kind: "GITHUB", value: "someone" }, f.db) },
  "DELETE /api/people/[id]/identities": { permission: "people:manage", invoke: (ctx, f) => unlinkIdentity(ctx, { personId: NOBODY, kind: "GITHUB", value: "someone" }, f.db) },
  "POST /api/people/[id]/merge": { permission: "people:manage", invoke: (ctx, f) => mergePersons(ctx, { personId: NOBODY, intoPersonId: SOMEONE_ELSE }, f.db) },
};

/** Reads that only some roles may make (everything else any signed-in role may read). */
const RESTRICTED_READS: Record<string, Row> = {
  "GET /api/people": { permission: "people:manage", invoke: (ctx, f) => getPeople(ctx, {}, f.db) },
};

/** Routes that answer without a session, each for a reason of its own (as in tests/e2e/api-auth.spec.ts). */
const PUBLIC = new Set(["/api/auth/[...all]", "/api/webhooks/github", "/api/health"]);

function changingRoutes(): string[] {
  const root = path.resolve("app/api");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = `/api/${path.relative(root, dir).split(path.sep).join("/")}`;
        if (PUBLIC.has(route)) continue;
        const source = readFileSync(full, "utf8");
        for (const match of source.matchAll(/^export (?:const|async function) (POST|PUT|PATCH|DELETE)\b/gm)) found.push(`${match[1]} ${route}`);
      }
    }
  };
  walk(root);
  return found.sort();
}

async function outcome(row: Row, ctx: ViewerContext, f: Fixtures): Promise<"allowed" | "forbidden" | "unauthenticated"> {
  try {
    await row.invoke(ctx, f);
    return "allowed";
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN" && /Your role may not do this/.test(error.message)) return "forbidden";
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") return "unauthenticated";
    // Past authorization: a made-up id is not found, a stale fingerprint conflicts, and so on.
    return "allowed";
  }
}

describe("authorization matrix", () => {
  let database: TestDatabase;
  const clock = frozenClock("2026-11-27T12:00:00Z");
  const userIds = new Map<Role, string>();
  const ctxFor = (role: Role | "anonymous", requestId: string): ViewerContext => ({
    viewer: role === "anonymous" ? { kind: "anonymous" } : { kind: "user", userId: userIds.get(role)!, personId: null, role, display: `matrix ${role}` },
    requestId,
    clientIp: null,
    clock,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    // Real accounts (not demo ones, which may not add sources): some data functions look the actor up.
    for (const role of ROLES) userIds.set(role, (await database.db.user.create({ data: { email: `${role.toLowerCase()}@matrix.test`, name: `matrix ${role}`, role, emailVerified: true } })).id);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("has a row for every changing route handler under app/api, and no row for a route that is gone", () => {
    expect(Object.keys(MUTATIONS).sort()).toEqual(changingRoutes());
  });

  for (const [action, row] of Object.entries({ ...MUTATIONS, ...RESTRICTED_READS })) {
    it(`${action}: ${row.permission} decides, for every role`, async () => {
      const f = { db: database.db };
      const allowed: readonly Role[] | "PUBLIC" = PERMISSIONS[row.permission];
      for (const role of ROLES) {
        const expected = allowed === "PUBLIC" || allowed.includes(role) ? "allowed" : "forbidden";
        expect(await outcome(row, ctxFor(role, `${role.toLowerCase()}-${action.replace(/\W+/g, "-")}`), f), `${role} ${action}`).toBe(expected);
      }
      if (allowed !== "PUBLIC") expect(await outcome(row, ctxFor("anonymous", "anonymous"), f), `anonymous ${action}`).toBe("unauthenticated");
    });
  }

  it("nothing a forbidden role tried left a trace: no integration, no role change", async () => {
    const names = (await database.db.integration.findMany({ select: { name: true } })).map((integration) => integration.name);
    expect(names.every((name) => name.startsWith("matrix-admin"))).toBe(true);
  });
});
