/**
 * Every endpoint the sandbox serves, validated against GitHub's own OpenAPI description
 * (`@octokit/openapi`, dereferenced): the response schema of that operation and status code, with
 * OpenAPI 3.0's `nullable` translated to JSON Schema. The sandbox is only useful if a client written
 * against github.com cannot tell the difference, so nothing here is loosened per endpoint.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { GitopsConfigCommit } from "@/lib/sandbox/scenario/gitops/model";
import { toSandboxRepository } from "@/lib/sandbox/scenario/gitops/config-repositories";
import { NOW, buildSmallOrg, shaOf } from "@/tests/fixtures/sandbox-small-org";

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

interface OpenApiOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: JsonObject }> }>;
}
interface OpenApiSpec {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

// ajv-formats is CommonJS with a default export; under ESM interop the function may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * OpenAPI 3.0 → JSON Schema for what matters here: `nullable: true` becomes a `"null"` type (or an
 * `anyOf` with null where the schema is a composition without its own `type`), recursively.
 */
function toJsonSchema(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable") continue;
    // `properties` maps names to schemas; every other keyword's value is a schema, a list of them, or a literal.
    out[key] = key === "properties" && isObject(value) ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)])) : toJsonSchema(value);
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: "null" }, out] };
}

let spec: OpenApiSpec;
let ajv: Ajv;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(template: string, status: number): { validate: ValidateFunction; operationId: string } {
  const operation = spec.paths[template]?.get;
  if (!operation) throw new Error(`no GET ${template} in the OpenAPI description`);
  const schema = operation.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${operation.operationId} defines no JSON schema for ${status}`);
  const key = `${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema) as object);
    compiled.set(key, validate);
  }
  return { validate, operationId: operation.operationId };
}

interface Case {
  template: string;
  path: string;
  status: number;
  /** For lists: the body must not be empty, or the validation proves little. */
  nonEmpty?: (body: JsonValue) => boolean;
  headers?: Record<string, string>;
}

const list = (body: JsonValue) => Array.isArray(body) && body.length > 0;
const runs = (body: JsonValue) => isObject(body) && Array.isArray(body.workflow_runs) && body.workflow_runs.length > 0;
const workflows = (body: JsonValue) => isObject(body) && Array.isArray(body.workflows) && body.workflows.length > 0;

const R = "/repos/acme/checkout-api";
/** A GitOps config repository next to the small org's app repositories (contents are modelled there). */
const C = "/repos/acme/catalog-api-config";
const FILE = "apps/catalog-api/production/kustomization.yaml";

function kustomization(tag: string): string {
  return ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources:", "  - ../base", "images:", "  - name: registry.acme.test/catalog-api", `    newTag: ${tag}`, ""].join("\n");
}

function configCommit(label: string, parent: string | null, committedAt: string, kind: GitopsConfigCommit["kind"]): GitopsConfigCommit {
  const tag = shaOf(`app:${label}`);
  return {
    repository: "acme/catalog-api-config",
    serviceSlug: "catalog-api",
    sha: shaOf(label),
    parents: parent ? [shaOf(parent)] : [],
    authorLogin: "alice",
    authorName: "Alice Example",
    authorEmail: "alice@acme.test",
    committedAt,
    message: kind === "initial" ? "Add catalog-api production" : `chore(catalog-api): bump image to ${tag.slice(0, 7)}`,
    path: FILE,
    content: kustomization(tag),
    image: `registry.acme.test/catalog-api:${tag}`,
    imageTag: tag,
    appSha: tag,
    kind,
    revertsSha: null,
  };
}

/** k1 (initial), k2 (bump) before NOW; k3 a bump still in the future at NOW. */
function smallOrgWithConfigRepository() {
  const org = buildSmallOrg();
  const commits = [configCommit("k1", null, "2026-03-01T10:00:00Z", "initial"), configCommit("k2", "k1", "2026-03-03T10:00:00Z", "bump"), configCommit("k3", "k2", "2026-03-07T10:00:00Z", "bump")];
  org.repositories.push(toSandboxRepository(990, { fullName: "acme/catalog-api-config", defaultBranch: "main", serviceSlug: "catalog-api", createdAt: "2026-03-01T10:00:00Z", commits }));
  return org;
}
const cases: Case[] = [
  { template: "/user", path: "/user", status: 200 },
  { template: "/rate_limit", path: "/rate_limit", status: 200 },
  { template: "/orgs/{org}", path: "/orgs/acme", status: 200 },
  { template: "/orgs/{org}/repos", path: "/orgs/acme/repos?sort=full_name", status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}", path: R, status: 200 },
  { template: "/repos/{owner}/{repo}", path: "/repos/acme/web-app", status: 200 },
  { template: "/repos/{owner}/{repo}/pulls", path: `${R}/pulls?state=all`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/pulls/{pull_number}", path: `${R}/pulls/1`, status: 200 },
  { template: "/repos/{owner}/{repo}/pulls/{pull_number}", path: `${R}/pulls/2`, status: 200 },
  { template: "/repos/{owner}/{repo}/pulls/{pull_number}", path: `${R}/pulls/4`, status: 200 },
  { template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits", path: `${R}/pulls/1/commits`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", path: `${R}/pulls/2/reviews`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/commits", path: `${R}/commits`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/commits", path: `${R}/commits?sha=feature/cache&since=2026-03-01T00:00:00Z`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/commits/{ref}", path: `${R}/commits/${shaOf("m1")}`, status: 200 },
  { template: "/repos/{owner}/{repo}/commits/{ref}", path: `${R}/commits/main`, status: 200 },
  { template: "/repos/{owner}/{repo}/compare/{basehead}", path: `${R}/compare/${shaOf("c2")}...main`, status: 200 },
  { template: "/repos/{owner}/{repo}/compare/{basehead}", path: `${R}/compare/main...main`, status: 200 },
  { template: "/repos/{owner}/{repo}/compare/{basehead}", path: `${R}/compare/feature/cache...main?per_page=2`, status: 200 },
  { template: "/repos/{owner}/{repo}/branches/{branch}", path: `${R}/branches/main`, status: 200 },
  { template: "/repos/{owner}/{repo}/branches/{branch}", path: `${R}/branches/feature/cache`, status: 200 },
  { template: "/repos/{owner}/{repo}/deployments", path: `${R}/deployments`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/deployments/{deployment_id}", path: `${R}/deployments/5001`, status: 200 },
  { template: "/repos/{owner}/{repo}/deployments/{deployment_id}", path: `${R}/deployments/5002`, status: 200 },
  { template: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses", path: `${R}/deployments/5001/statuses`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/actions/workflows", path: `${R}/actions/workflows`, status: 200, nonEmpty: workflows },
  { template: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", path: `${R}/actions/workflows/7001/runs`, status: 200, nonEmpty: runs },
  { template: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", path: `${R}/actions/workflows/deploy.yml/runs?created=>=2026-03-01`, status: 200, nonEmpty: runs },
  { template: "/repos/{owner}/{repo}/actions/runs", path: `${R}/actions/runs`, status: 200, nonEmpty: runs },
  { template: "/repos/{owner}/{repo}/actions/runs/{run_id}", path: `${R}/actions/runs/8005`, status: 200 },
  { template: "/repos/{owner}/{repo}/actions/runs/{run_id}", path: `${R}/actions/runs/8006`, status: 200 },
  { template: "/repos/{owner}/{repo}/issues", path: `${R}/issues?state=all`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/issues/{issue_number}", path: `${R}/issues/5`, status: 200 },
  { template: "/repos/{owner}/{repo}/issues/{issue_number}", path: `${R}/issues/1`, status: 200 },
  // The config repository: history by path, a commit with its file diff, compare, and contents.
  { template: "/repos/{owner}/{repo}", path: C, status: 200 },
  { template: "/repos/{owner}/{repo}/commits", path: `${C}/commits?path=${FILE}&per_page=1`, status: 200, nonEmpty: list },
  { template: "/repos/{owner}/{repo}/commits/{ref}", path: `${C}/commits/${shaOf("k2")}`, status: 200 },
  { template: "/repos/{owner}/{repo}/commits/{ref}", path: `${C}/commits/${shaOf("k1")}`, status: 200 },
  { template: "/repos/{owner}/{repo}/compare/{basehead}", path: `${C}/compare/${shaOf("k1")}...main`, status: 200 },
  { template: "/repos/{owner}/{repo}/contents/{path}", path: `${C}/contents/${FILE}?ref=${shaOf("k1")}`, status: 200 },
  { template: "/repos/{owner}/{repo}/contents/{path}", path: `${C}/contents/${FILE}`, status: 200 },
  { template: "/repos/{owner}/{repo}/contents/{path}", path: `${C}/contents/apps/catalog-api?ref=main`, status: 200, nonEmpty: list },
  // Error bodies, where the description defines a schema for them.
  { template: "/user", path: "/user", status: 401, headers: { authorization: "token wrong" } },
  { template: "/orgs/{org}", path: "/orgs/nobody", status: 404 },
  { template: "/repos/{owner}/{repo}", path: "/repos/acme/missing", status: 404 },
  { template: "/repos/{owner}/{repo}/pulls", path: `${R}/pulls?state=merged`, status: 422 },
  { template: "/repos/{owner}/{repo}/pulls/{pull_number}", path: `${R}/pulls/99`, status: 404 },
  { template: "/repos/{owner}/{repo}/commits", path: `${R}/commits?sha=no-such-branch`, status: 404 },
  { template: "/repos/{owner}/{repo}/commits/{ref}", path: `${R}/commits/no-such-ref`, status: 422 },
  { template: "/repos/{owner}/{repo}/compare/{basehead}", path: `${R}/compare/main...no-such-branch`, status: 404 },
  { template: "/repos/{owner}/{repo}/branches/{branch}", path: `${R}/branches/gone`, status: 404 },
  { template: "/repos/{owner}/{repo}/deployments/{deployment_id}", path: `${R}/deployments/5003`, status: 404 },
  { template: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses", path: `${R}/deployments/42/statuses`, status: 404 },
  { template: "/repos/{owner}/{repo}/issues", path: `${R}/issues?per_page=abc`, status: 422 },
  { template: "/repos/{owner}/{repo}/issues", path: "/repos/acme/missing/issues", status: 404 },
  { template: "/repos/{owner}/{repo}/issues/{issue_number}", path: `${R}/issues/77`, status: 404 },
  { template: "/repos/{owner}/{repo}/contents/{path}", path: `${C}/contents/apps/missing.yaml?ref=main`, status: 404 },
  // k3 is in the future at NOW: its sha does not resolve yet.
  { template: "/repos/{owner}/{repo}/contents/{path}", path: `${C}/contents/${FILE}?ref=${shaOf("k3")}`, status: 404 },
];

describe("sandbox GitHub responses conform to GitHub's OpenAPI description", () => {
  let sandbox: GithubSandbox;

  beforeAll(async () => {
    // Loaded once per file: the dereferenced description is ~70 MB.
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.deref.json");
    spec = JSON.parse(readFileSync(file, "utf8")) as OpenApiSpec;
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    sandbox = await startGithubSandbox({ org: smallOrgWithConfigRepository(), clock: frozenClock(NOW) });
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it.each(cases)("GET $path → $status matches the schema", async ({ template, path, status, nonEmpty, headers }) => {
    const response = await fetch(`${sandbox.url}${path}`, { headers: { authorization: "token sandbox-token", accept: "application/vnd.github+json", ...headers } });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as JsonValue;
    if (nonEmpty) expect(nonEmpty(body)).toBe(true);
    const { validate, operationId } = validatorFor(template, status);
    const valid = validate(body);
    // Show the operation and the first errors on failure; the full list can be thousands of lines.
    expect(valid ? [] : { operationId, errors: (validate.errors ?? []).slice(0, 10) }).toEqual([]);
  });

  it("rejects what GitHub would not send (the validator is not vacuous)", async () => {
    const response = await fetch(`${sandbox.url}${R}/pulls/1`, { headers: { authorization: "token sandbox-token" } });
    const body = (await response.json()) as JsonObject;
    const { validate } = validatorFor("/repos/{owner}/{repo}/pulls/{pull_number}", 200);
    expect(validate(body)).toBe(true);
    const { merged: _merged, ...withoutMerged } = body;
    expect(validate(withoutMerged)).toBe(false);
    expect(validate({ ...body, merged_at: "yesterday" })).toBe(false);
    expect(validate({ ...body, state: "merged" })).toBe(false);
    // `nullable` was translated: null is accepted where GitHub allows it, and only there.
    expect(validate({ ...body, merged_by: null })).toBe(true);
    expect(validate({ ...body, title: null })).toBe(false);
  });

  it("covers every endpoint the sandbox serves", async () => {
    const { githubRoutes } = await import("@/lib/sandbox/github/server/routes");
    const served = new Set(githubRoutes.map((route) => route.path.replace(/\+\}/g, "}")));
    served.add("/rate_limit");
    const tested = new Set(cases.filter((c) => c.status === 200).map((c) => c.template));
    expect([...served].filter((template) => !tested.has(template))).toEqual([]);
    // And every template is GitHub's: it exists in the description.
    expect([...served].filter((template) => !spec.paths[template]?.get)).toEqual([]);
  });
});
