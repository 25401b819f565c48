import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { storageStatePath } from "./auth-state";

/** Every route handler under app/api with the methods it exports, read from the files themselves. */
function apiRoutes(): { route: string; methods: string[] }[] {
  const root = path.resolve("app/api");
  const found: { route: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = readFileSync(full, "utf8");
        const methods = [...source.matchAll(/^export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/gm)].map((match) => match[1]!);
        found.push({ route: `/api/${path.relative(root, dir).split(path.sep).join("/")}`, methods });
      }
    }
  };
  walk(root);
  return found;
}

/** Routes that answer without a session, each for a reason of its own. */
const PUBLIC = new Map([
  ["/api/health", "a load balancer's probe"],
  ["/api/auth/[...all]", "sign-in itself"],
  ["/api/webhooks/github", "GitHub signs its deliveries instead"],
]);

const concrete = (route: string) => route.replace(/\[\.\.\.[^\]]+\]/g, "x").replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");

test.describe("without a session", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every API route but health, sign-in and signed webhooks answers 401, before looking at its input", async ({ request, baseURL }) => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(5);
    const checked: string[] = [];
    for (const { route, methods } of routes) {
      if (PUBLIC.has(route)) continue;
      for (const method of methods) {
        // A deliberately invalid body: the session check must come first, so this is still a 401.
        const response = await request.fetch(concrete(route), { method, headers: { "content-type": "application/json", origin: baseURL! }, data: method === "GET" ? undefined : { bogus: true } });
        expect(response.status(), `${method} ${route}`).toBe(401);
        checked.push(`${method} ${route}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(6);
  });

  test("health needs no session, and writes nothing that would need one", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(Object.keys((await response.json()) as object)).not.toContain("integrations");
  });
});

/** Every changing route (POST, PUT, PATCH, DELETE) that needs a session. */
function mutatingRoutes(): { route: string; method: string }[] {
  return apiRoutes()
    .filter(({ route }) => !PUBLIC.has(route))
    .flatMap(({ route, methods }) => methods.filter((method) => method !== "GET").map((method) => ({ route, method })));
}

test.describe("signed in as a viewer", () => {
  test("changing routes answer 403 to a viewer, and cross-origin or non-JSON changes are refused", async ({ request, baseURL }) => {
    const catalog = (await (await request.get("/api/catalog")).json()) as { repositories: { id: string }[] };
    const change = { kind: "classify-environment", name: "staging", isProduction: true };
    expect((await request.post("/api/catalog/preview", { headers: { origin: baseURL! }, data: change })).status()).toBe(403);
    expect((await request.post("/api/catalog/changes", { headers: { origin: baseURL! }, data: change })).status()).toBe(403);
    expect(catalog.repositories.length).toBeGreaterThan(0);
  });
});

test.describe("signed in as an admin", () => {
  test.use({ storageState: storageStatePath("ADMIN") });

  test("a change from another origin, or not sent as JSON, is refused before it is read", async ({ request }) => {
    const change = { kind: "classify-environment", name: "staging", isProduction: true };
    const crossSite = await request.post("/api/catalog/preview", { headers: { origin: "https://evil.example" }, data: change });
    expect(crossSite.status()).toBe(403);
    const form = await request.post("/api/catalog/preview", { headers: { "content-type": "application/x-www-form-urlencoded" }, data: "kind=classify-environment" });
    expect(form.status()).toBe(415);
    const invalid = await request.post("/api/catalog/preview", { data: { kind: "nope" } });
    expect(invalid.status()).toBe(422);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toMatch(/kind/);
  });
});

test.describe("every changing route, signed in as an admin", () => {
  test.use({ storageState: storageStatePath("ADMIN") });

  test("refuses a cross-origin change (403) and a body not sent as JSON (415), before reading it", async ({ request }) => {
    const routes = mutatingRoutes();
    // Catalog, integrations, people and users at least; new routes are picked up from the file tree.
    expect(routes.length).toBeGreaterThanOrEqual(9);
    for (const { route, method } of routes) {
      const crossSite = await request.fetch(concrete(route), { method, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" }, data: { bogus: true } });
      expect(crossSite.status(), `cross-origin ${method} ${route}`).toBe(403);
      const form = await request.fetch(concrete(route), { method, headers: { "content-type": "application/x-www-form-urlencoded" }, data: "bogus=true" });
      expect(form.status(), `form-encoded ${method} ${route}`).toBe(415);
    }
  });
});

/** A valid body for each people and users route, so only the role check can refuse it. */
const PEOPLE_BODIES: Record<string, unknown> = {
  "POST /api/users/[id]/role": { role: "ADMIN" },
  "POST /api/users/[id]/disabled": { disabled: true },
  "DELETE /api/users/[id]/sessions": {},
  "POST /api/people/[id]/identities": { kind: "GITHUB", value: "someone" },
  "DELETE /api/people/[id]/identities": { kind: "GITHUB", value: "someone" },
  "POST /api/people/[id]/merge": { intoPersonId: "00000000-0000-4000-8000-000000000001" },
};

test.describe("people and users routes, signed in as an engineer", () => {
  test.use({ storageState: storageStatePath("ENGINEER") });

  test("an engineer may not manage people: 403 from every people and users route, and from the list", async ({ request }) => {
    const routes = mutatingRoutes().filter(({ route }) => /^\/api\/(people|users)\//.test(route));
    expect(routes.map(({ route, method }) => `${method} ${route}`).sort()).toEqual(Object.keys(PEOPLE_BODIES).sort());
    for (const { route, method } of routes) {
      const response = await request.fetch(concrete(route), { method, data: PEOPLE_BODIES[`${method} ${route}`] });
      expect(response.status(), `${method} ${route}`).toBe(403);
    }
    expect((await request.get("/api/people")).status()).toBe(403);
  });
});
