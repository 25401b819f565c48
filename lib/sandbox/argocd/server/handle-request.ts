/**
 * One request through the sandbox's Argo CD, in grpc-gateway's order: route (an unknown path is a
 * 404 and a wrong method a 405 before anyone is authenticated) → session (401) → RBAC (403) →
 * handler. Everything reads the truth at the clock's now through the shared snapshot.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "@/lib/clock";
import { type LiveCluster, type LiveOperation, LiveOperationInProgress } from "@/lib/sandbox/live-cluster/live-edits";
import type { GitopsApp } from "@/lib/sandbox/scenario/gitops/model";
import { applicationFilter } from "./app-filter";
import {
  ArgoHttpError,
  applicationNotFound,
  blockedBySyncWindow,
  invalidArgument,
  methodNotAllowed,
  noSession,
  operationInProgress,
  permissionDenied,
  routeNotFound,
} from "./argo-error";
import { liveAppViewOf } from "./live-app";
import { managedResourceDiffs, resourceTree } from "./resources";
import { type ApiObject, serializeApplication } from "./serialize-application";
import type { ArgoSnapshot } from "./snapshot";
import { syncWindowsOf } from "./sync-windows";
import { type WatchStream, openWatchStream } from "./watch-stream";

/** `GET` answers `{ calls: ArgoSyncCall[] }` with the sandbox's bearer token. */
export const SYNC_CALLS_PATH = "/sandbox/sync-calls";

export interface ArgoSyncCall {
  name: string;
  /** The request body as sent (Argo CD's `ApplicationSyncRequest`). */
  body: unknown;
  /** Clock time of the call, ISO 8601. */
  at: string;
}

export interface ArgoSession {
  /** Argo CD's `sub`, shown as `initiatedBy.username` on the operations it starts. */
  subject: string;
  canSync: boolean;
}

export interface ArgoState {
  clock: Clock;
  snapshot: () => ArgoSnapshot;
  sessions: ReadonlyMap<string, ArgoSession>;
  gatedApp: string | null;
  syncCalls: ArgoSyncCall[];
  streams: Set<WatchStream>;
  pollMs: number;
  live: LiveCluster;
}

type Route =
  | { kind: "list" }
  | { kind: "get"; name: string }
  | { kind: "resource-tree"; name: string }
  | { kind: "managed-resources"; name: string }
  | { kind: "syncwindows"; name: string }
  | { kind: "sync"; name: string }
  | { kind: "watch" };

const ROUTES: { pattern: RegExp; method: "GET" | "POST"; route: (name: string) => Route }[] = [
  { pattern: /^\/api\/v1\/applications$/, method: "GET", route: () => ({ kind: "list" }) },
  { pattern: /^\/api\/v1\/stream\/applications$/, method: "GET", route: () => ({ kind: "watch" }) },
  { pattern: /^\/api\/v1\/applications\/([^/]+)$/, method: "GET", route: (name) => ({ kind: "get", name }) },
  { pattern: /^\/api\/v1\/applications\/([^/]+)\/resource-tree$/, method: "GET", route: (name) => ({ kind: "resource-tree", name }) },
  { pattern: /^\/api\/v1\/applications\/([^/]+)\/managed-resources$/, method: "GET", route: (name) => ({ kind: "managed-resources", name }) },
  { pattern: /^\/api\/v1\/applications\/([^/]+)\/syncwindows$/, method: "GET", route: (name) => ({ kind: "syncwindows", name }) },
  { pattern: /^\/api\/v1\/applications\/([^/]+)\/sync$/, method: "POST", route: (name) => ({ kind: "sync", name }) },
];

function matchRoute(method: string, pathname: string): Route {
  let pathMatched = false;
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (candidate.method === method) return candidate.route(decodeURIComponent(match[1] ?? ""));
  }
  throw pathMatched ? methodNotAllowed() : routeNotFound();
}

/** Argo CD takes the token as a bearer header, or as the `argocd.token` cookie its UI sets. */
function tokenOf(req: IncomingMessage): string | null {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (bearer) return bearer[1]!;
  const cookie = /(?:^|;\s*)argocd\.token=([^;]+)/.exec(req.headers.cookie ?? "");
  return cookie ? decodeURIComponent(cookie[1]!) : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  res.writeHead(status, { "content-type": "application/json", "content-length": String(bytes.length) });
  res.end(bytes);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

interface SyncRequestBody {
  revision?: unknown;
  prune?: unknown;
  dryRun?: unknown;
  infos?: unknown;
  resources?: unknown;
  strategy?: unknown;
}

/**
 * The config commit a sync asks for: the branch head for "", "HEAD" or the tracked branch, else a
 * commit of the app's config repository by sha (or a prefix of at least 7). Argo CD refuses a
 * revision it cannot resolve, before starting anything.
 */
function resolveRevision(snapshot: ArgoSnapshot, app: GitopsApp, revision: string): { sha: string; image: string } {
  const commits = snapshot.gitops.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug);
  const found =
    revision === "HEAD" || revision === app.configBranch
      ? commits.at(-1)
      : [...commits].reverse().find((commit) => commit.sha === revision || (revision.length >= 7 && commit.sha.startsWith(revision.toLowerCase())));
  if (!found) throw invalidArgument(`unable to resolve '${revision}' to a commit SHA`);
  return { sha: found.sha, image: found.image };
}

function parseInfos(value: unknown): { name: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { name, value: text } = entry as { name?: unknown; value?: unknown };
    return typeof name === "string" ? [{ name, value: typeof text === "string" ? text : String(text ?? "") }] : [];
  });
}

function parseResources(value: unknown): LiveOperation["resources"] {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { group, kind, namespace, name } = entry as Record<string, unknown>;
    if (typeof kind !== "string" || typeof name !== "string") return [];
    return [{ group: typeof group === "string" ? group : "", kind, namespace: typeof namespace === "string" ? namespace : "", name }];
  });
}

export async function handleRequest(state: ArgoState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  try {
    // The sandbox's own inspection endpoint (no Argo CD has it): every sync call received, so tests
    // and people can check that an approved sync reached Argo CD exactly once.
    if (method === "GET" && url.pathname === SYNC_CALLS_PATH) {
      const token = tokenOf(req);
      if (token === null || !state.sessions.has(token)) throw noSession();
      sendJson(res, 200, { calls: state.syncCalls });
      return;
    }
    const route = matchRoute(method, url.pathname);
    const token = tokenOf(req);
    const session = token === null ? undefined : state.sessions.get(token);
    if (!session) throw noSession();

    if (route.kind === "watch") {
      const filter = applicationFilter(url.searchParams);
      const stream = openWatchStream({
        res,
        pollMs: state.pollMs,
        current: () => {
          const snapshot = state.snapshot();
          const applications = new Map<string, ApiObject>();
          for (const app of snapshot.apps.values()) {
            const application = serializeApplication(snapshot, app);
            if (filter(application)) applications.set(app.name, application);
          }
          return applications;
        },
        onClose: (closed) => state.streams.delete(closed),
      });
      state.streams.add(stream);
      return;
    }

    const snapshot = state.snapshot();
    if (route.kind === "list") {
      const filter = applicationFilter(url.searchParams);
      const items = [...snapshot.apps.values()].map((app) => serializeApplication(snapshot, app)).filter(filter);
      sendJson(res, 200, { metadata: { resourceVersion: snapshot.listResourceVersion }, items });
      return;
    }

    // Argo CD checks RBAC before it looks the app up, so a read-only caller learns nothing about
    // apps from a refused sync.
    if (route.kind === "sync" && !session.canSync) throw permissionDenied("sync", route.name, session.subject);
    const app = snapshot.apps.get(route.name);
    const namespace = url.searchParams.get("appNamespace");
    if (!app || (namespace && namespace !== app.namespace)) throw applicationNotFound(route.name);

    switch (route.kind) {
      case "get":
        sendJson(res, 200, serializeApplication(snapshot, app));
        return;
      case "resource-tree":
        sendJson(res, 200, resourceTree(liveAppViewOf(snapshot, app).state, app.createdAt));
        return;
      case "managed-resources":
        sendJson(res, 200, { items: managedResourceDiffs(liveAppViewOf(snapshot, app).state) });
        return;
      case "syncwindows":
        sendJson(res, 200, syncWindowsOf(app, state.gatedApp, snapshot.at));
        return;
      case "sync": {
        const raw = await readBody(req);
        let body: SyncRequestBody;
        try {
          body = raw.trim() === "" ? {} : (JSON.parse(raw) as SyncRequestBody);
        } catch {
          throw invalidArgument("invalid character in request body: not valid JSON");
        }
        if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidArgument("request body must be a JSON object");
        if (liveAppViewOf(snapshot, app).running) throw operationInProgress();
        if (!syncWindowsOf(app, state.gatedApp, snapshot.at).canSync) throw blockedBySyncWindow();
        const requestedRevision = typeof body.revision === "string" && body.revision.trim() !== "" ? body.revision.trim() : app.configBranch;
        const target = resolveRevision(snapshot, app, requestedRevision);
        const resources = parseResources(body.resources);
        let started: LiveOperation;
        try {
          // The operation runs in the live overlay: Running now, Succeeded a few seconds of clock
          // time later, when the Deployment takes the revision's image (see live-cluster).
          started = state.live.startSync({
            appName: app.name,
            revision: target.sha,
            requestedRevision,
            image: target.image,
            username: session.subject,
            info: parseInfos(body.infos),
            prune: body.prune === true,
            dryRun: body.dryRun === true,
            resources,
          });
        } catch (error) {
          if (error instanceof LiveOperationInProgress) throw operationInProgress();
          throw error;
        }
        state.syncCalls.push({ name: app.name, body, at: state.clock.now().toISOString() });
        // Answered with the Application and the requested operation, as Argo CD answers before its
        // controller picks the operation up.
        const application = serializeApplication(state.snapshot(), app);
        const sync: ApiObject = { revision: started.requestedRevision, prune: started.prune };
        if (started.dryRun) sync.dryRun = true;
        if (Array.isArray(body.resources)) sync.resources = body.resources as ApiObject[];
        if (body.strategy && typeof body.strategy === "object") sync.syncStrategy = body.strategy as ApiObject;
        const operation: ApiObject = { sync, initiatedBy: { username: session.subject }, retry: {} };
        if (Array.isArray(body.infos) && body.infos.length > 0) operation.info = body.infos as ApiObject[];
        sendJson(res, 200, { ...application, operation });
        return;
      }
    }
  } catch (error) {
    if (error instanceof ArgoHttpError) {
      sendJson(res, error.status, error.body);
      return;
    }
    throw error;
  }
}
