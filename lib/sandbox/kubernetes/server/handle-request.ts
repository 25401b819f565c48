/**
 * One request through the sandbox's Kubernetes API, in the API server's order: authentication
 * (401 before anything else), then the route (404 for an unknown path, 405 for a method the
 * resource does not serve), then the read: a list, a get, or a watch (`?watch=true`), or a write:
 * `PATCH`/`PUT` of one Deployment, recorded in the live overlay as a hand edit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { KubeHttpError, badRequest, methodNotAllowed, objectNotFound, routeNotFound, unauthorized } from "./kube-status";
import { type ClusterStore, resourceVersionOf } from "./store";
import { RESOURCE_TYPES, type ResourceType } from "./timeline";
import { type WatchStream, openWatchStream } from "./watch-stream";
import { writeDeployment } from "./write-deployment";

export interface KubeState {
  store: ClusterStore;
  token: string;
  streams: Set<WatchStream>;
  pollMs: number;
  live: LiveCluster;
}

interface Route {
  type: ResourceType;
  namespace: string | null;
  name: string | null;
}

const SEGMENT = "([a-z0-9]([-a-z0-9.]*[a-z0-9])?)";
const PATH = new RegExp(`^/apis/([^/]+)/([^/]+)(?:/namespaces/${SEGMENT})?/([^/]+)(?:/${SEGMENT})?/?$`);

function matchRoute(method: string, pathname: string): Route {
  const match = PATH.exec(pathname);
  const type = match && RESOURCE_TYPES.find((candidate) => candidate.group === match[1] && candidate.version === match[2] && candidate.resource === match[5]);
  if (!match || !type) throw routeNotFound();
  const route = { type, namespace: match[3] ?? null, name: match[6] ?? null };
  if (method === "GET" || method === "HEAD") return route;
  // Hand edits of one Deployment are the only writes the sandbox takes; create, delete and writes
  // to the Flux objects (which only their controllers change here) are refused.
  if ((method === "PATCH" || method === "PUT") && type.resource === "deployments" && route.namespace !== null && route.name !== null) return route;
  throw methodNotAllowed();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  res.writeHead(status, { "content-type": "application/json", "content-length": String(bytes.length), "cache-control": "no-cache, private" });
  res.end(bytes);
}

const metadataOf = (object: ClusterObject) => object.metadata as { name: string; namespace: string; labels?: Record<string, string> };

type Predicate = (object: ClusterObject) => boolean;

/** `fieldSelector`: the fields every resource supports, `metadata.name` and `metadata.namespace`. */
function fieldSelector(text: string | null): Predicate {
  if (!text) return () => true;
  const tests = text.split(",").map((term): Predicate => {
    const match = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(term);
    if (!match) throw badRequest(`"${term}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    const field = match[1] === "metadata.name" ? "name" : "namespace";
    const equal = match[2] !== "!=";
    return (object) => (metadataOf(object)[field] === match[3]) === equal;
  });
  return (object) => tests.every((test) => test(object));
}

/** `labelSelector`, its equality-based form: `k=v`, `k==v`, `k!=v`, `k`, `!k`. */
function labelSelector(text: string | null): Predicate {
  if (!text) return () => true;
  const tests = text.split(",").map((term): Predicate => {
    const match = /^\s*(!?)([A-Za-z0-9./_-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9._-]*))?\s*$/.exec(term);
    if (!match) throw badRequest(`unable to parse requirement: "${term}": only equality-based selectors are supported`);
    const [, not, key, operator, value] = match;
    return (object) => {
      const labels = metadataOf(object).labels ?? {};
      if (!operator) return not ? !(key! in labels) : key! in labels;
      return operator === "!=" ? labels[key!] !== value : labels[key!] === value;
    };
  });
  return (object) => tests.every((test) => test(object));
}

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value === "true" || value === "1";
}

/** Built-in kinds come without `kind`/`apiVersion` in a list's items; custom resources keep them. */
function listItem(type: ResourceType, object: ClusterObject): ClusterObject {
  if (type.group !== "apps") return object;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest;
}

/** The field manager the API server records: `?fieldManager=`, else the client's user agent up to its first "/". */
function fieldManagerOf(req: IncomingMessage, params: URLSearchParams): string {
  const given = params.get("fieldManager");
  if (given) return given;
  const agent = (req.headers["user-agent"] ?? "").split("/")[0]!.trim();
  return agent === "" ? "unknown" : agent.slice(0, 128);
}

export async function handleRequest(state: KubeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  try {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    if (!bearer || bearer[1] !== state.token) throw unauthorized();
    const route = matchRoute(method, url.pathname);
    const { type } = route;
    const params = url.searchParams;
    const byField = fieldSelector(params.get("fieldSelector"));
    const byLabel = labelSelector(params.get("labelSelector"));
    const matches: Predicate = (object) => {
      const metadata = metadataOf(object);
      if (route.namespace !== null && metadata.namespace !== route.namespace) return false;
      if (route.name !== null && metadata.name !== route.name) return false;
      return byField(object) && byLabel(object);
    };

    if (flag(params, "watch")) {
      const text = params.get("resourceVersion");
      let resourceVersion: number | null = null;
      if (text !== null && text !== "" && text !== "0") {
        if (!/^\d+$/.test(text)) throw badRequest(`resourceVersion: Invalid value: "${text}": must be a valid resource version`);
        resourceVersion = Number(text);
      }
      const timeoutText = params.get("timeoutSeconds");
      const timeoutSeconds = timeoutText === null || timeoutText === "" ? null : Number(timeoutText);
      if (timeoutSeconds !== null && (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0)) throw badRequest(`timeoutSeconds: Invalid value: "${timeoutText}"`);
      const stream = openWatchStream({
        res,
        store: state.store,
        type,
        matches,
        resourceVersion,
        resourceVersionText: text,
        bookmarks: flag(params, "allowWatchBookmarks"),
        timeoutSeconds: timeoutSeconds === 0 ? null : timeoutSeconds,
        pollMs: state.pollMs,
        onClose: (closed) => state.streams.delete(closed),
      });
      if (!res.writableEnded) state.streams.add(stream);
      return;
    }

    if (method === "PATCH" || method === "PUT") {
      const name = route.name!;
      const find = () => state.store.objects(type.resource, state.store.limit()).find(matches);
      const current = find();
      if (!current) throw objectNotFound(type.resource, type.group, name);
      await writeDeployment(state.live, req, { method, namespace: route.namespace!, name, current, manager: fieldManagerOf(req, params) });
      sendJson(res, 200, find() ?? current);
      return;
    }

    const limit = state.store.limit();
    const objects = state.store.objects(type.resource, limit);
    if (route.name !== null) {
      const object = objects.find(matches);
      if (!object) throw objectNotFound(type.resource, type.group, route.name);
      sendJson(res, 200, object);
      return;
    }
    sendJson(res, 200, {
      kind: `${type.kind}List`,
      apiVersion: `${type.group}/${type.version}`,
      metadata: { resourceVersion: resourceVersionOf(state.store.count(limit)) },
      items: objects.filter(matches).map((object) => listItem(type, object)),
    });
  } catch (error) {
    if (error instanceof KubeHttpError) {
      sendJson(res, error.status, error.body);
      return;
    }
    throw error;
  }
}
