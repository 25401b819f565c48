/**
 * The product's Kubernetes client: Flux's Kustomizations, HelmReleases and GitRepositories and
 * `apps/v1` Deployments, through `@kubernetes/client-node` and a kubeconfig file on the server.
 * The kubeconfig is only ever read from a path the operator controls, never from uploaded content:
 * a kubeconfig's exec plugins run commands on this machine.
 *
 * Lists go through `CustomObjectsApi` for all four kinds (Deployments included) because it returns
 * the JSON as the server sent it, the same shape a watch event carries; the typed `AppsV1Api`
 * would hand back generated classes with `Date`s that no longer match `RawDeployment`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ApiException, CustomObjectsApi, KubeConfig, Watch } from "@kubernetes/client-node";
import type { KubernetesKind, KubernetesObject, KubernetesWatchEventType, RawKubernetesStatus } from "./types";

export type { KubernetesKind, KubernetesObject, KubernetesWatchEventType } from "./types";

export const KUBERNETES_RESOURCES: Readonly<Record<KubernetesKind, { group: string; version: string; plural: string }>> = {
  Kustomization: { group: "kustomize.toolkit.fluxcd.io", version: "v1", plural: "kustomizations" },
  HelmRelease: { group: "helm.toolkit.fluxcd.io", version: "v2", plural: "helmreleases" },
  GitRepository: { group: "source.toolkit.fluxcd.io", version: "v1", plural: "gitrepositories" },
  Deployment: { group: "apps", version: "v1", plural: "deployments" },
};

/** An answer from the API server other than success, with its Status. */
export class KubernetesApiError extends Error {
  constructor(
    /** HTTP status, or the Status `code` of an ERROR watch event. */
    readonly status: number,
    /** The Status `reason` ("Unauthorized", "Expired", …) when the server sent one. */
    readonly reason: string | null,
    /** The Status `message`, or the HTTP status text when there was no Status body. */
    readonly statusMessage: string,
    readonly path: string,
  ) {
    super(`Kubernetes API ${status}${reason ? ` ${reason}` : ""} on ${path}: ${statusMessage}${hintFor(status)}`);
    this.name = "KubernetesApiError";
  }

  /** The kubeconfig's credentials were refused (401) or lack the permission (403): retrying cannot help. */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** A watch asked for a resourceVersion the server has compacted away (410 Gone / Expired): list again. */
export class KubernetesWatchExpiredError extends KubernetesApiError {
  constructor(reason: string | null, statusMessage: string, path: string) {
    super(410, reason, statusMessage, path);
    this.name = "KubernetesWatchExpiredError";
  }
}

function hintFor(status: number): string {
  if (status === 401) return " (the kubeconfig's credentials were not accepted)";
  if (status === 403) return " (the kubeconfig's user may not read this resource; grant get, list and watch)";
  return "";
}

export interface KubernetesList<K extends KubernetesKind> {
  resourceVersion: string;
  items: KubernetesObject<K>[];
}

export type KubernetesEventHandler<K extends KubernetesKind> = (type: KubernetesWatchEventType, object: KubernetesObject<K>) => void | Promise<void>;

export interface KubernetesWatchOptions<K extends KubernetesKind> {
  /** Start after this version (from a list, or the last event seen); without one the server sends the current objects as ADDED first. */
  resourceVersion?: string | null;
  /** Only this namespace; default the whole cluster. */
  namespace?: string;
  signal?: AbortSignal;
  /** Asks the server to end the watch after this long, as informers do so watches are re-established now and then. */
  timeoutSeconds?: number;
  /** Called in order, one at a time; a throw ends the watch and rejects with it. */
  onEvent: KubernetesEventHandler<K>;
  onBookmark?: (resourceVersion: string) => void | Promise<void>;
}

export interface KubernetesWatchResult {
  /** The last resourceVersion handled (event or bookmark), else the one the watch started from. */
  resourceVersion: string | null;
  /** "server": the server ended it; "timeout": client-node's inactivity timeout (30 s without a byte) ended it; "abort": the signal did. */
  endedBy: "server" | "timeout" | "abort";
}

export type KubernetesRelistReason = "expired";

export interface KubernetesFollowOptions<K extends KubernetesKind> {
  signal: AbortSignal;
  namespace?: string;
  /** The full state, first and after each re-list: objects missing from it are gone. */
  onList: (items: KubernetesObject<K>[], resourceVersion: string) => void | Promise<void>;
  onEvent: KubernetesEventHandler<K>;
  /** Just before a re-list (the initial list does not call it). */
  onRelist?: (reason: KubernetesRelistReason) => void | Promise<void>;
  /** A failure that will be retried after a back-off; auth and other client errors reject instead. */
  onError?: (error: unknown, attempt: number) => void;
  /** Server-side watch timeout; default 300 s. */
  watchTimeoutSeconds?: number;
  /** Back-off: base (default 1 s), doubled per consecutive failure up to `retryMaxMs` (default 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Injectable wait (tests); must resolve early when `signal` aborts. Default: a timer. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface KubernetesClient {
  /** The API server, from the kubeconfig's current context. */
  readonly server: string;
  listResources<K extends KubernetesKind>(kind: K, options?: { namespace?: string }): Promise<KubernetesList<K>>;
  /**
   * One watch: resolves when it ends (server, inactivity timeout or abort); rejects with
   * `KubernetesWatchExpiredError` on 410 (an HTTP 410 or an ERROR event with a 410 Status) and
   * with `KubernetesApiError` for other refusals.
   */
  watchResources<K extends KubernetesKind>(kind: K, options: KubernetesWatchOptions<K>): Promise<KubernetesWatchResult>;
  /**
   * List, then watch from the list's version, re-watch from the last version seen when a watch
   * ends, re-list when the version has expired; back off on failures. Resolves when `signal`
   * aborts; rejects on an auth error, another 4xx (a missing CRD, a bad request) or a handler's throw.
   */
  followResources<K extends KubernetesKind>(kind: K, options: KubernetesFollowOptions<K>): Promise<void>;
}

export interface KubernetesClientOptions {
  /** The kubeconfig file (the caller resolves `KUBECONFIG` or `~/.kube/config`). */
  kubeconfigPath: string;
  /** A context other than the file's current-context. */
  context?: string;
}

/** 4xx answers that mean the request itself is wrong: the same request will fail again. */
const FATAL_STATUSES = new Set([400, 401, 403, 404, 405, 406, 415, 422]);

const isStatus = (value: unknown): value is RawKubernetesStatus => typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Status";

function pathOf(kind: KubernetesKind, namespace?: string): string {
  const { group, version, plural } = KUBERNETES_RESOURCES[kind];
  return `/apis/${group}/${version}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ""}/${plural}`;
}

function apiError(status: number, reason: string | null, message: string, path: string): KubernetesApiError {
  return status === 410 ? new KubernetesWatchExpiredError(reason, message, path) : new KubernetesApiError(status, reason, message, path);
}

/** client-node's errors as ours: ApiException from the generated API, an `Error` with `statusCode` from `Watch`. */
function toKubernetesError(error: unknown, path: string): unknown {
  if (error instanceof KubernetesApiError) return error;
  if (error instanceof ApiException) {
    const exception = error as ApiException<unknown>;
    let status: RawKubernetesStatus | null = null;
    if (isStatus(exception.body)) status = exception.body;
    else if (typeof exception.body === "string") {
      try {
        const parsed: unknown = JSON.parse(exception.body);
        if (isStatus(parsed)) status = parsed;
      } catch {
        // Not JSON (a proxy's page): the HTTP status is all there is.
      }
    }
    // The generated code drops the body of a 401 and keeps only its own one-word message.
    const fallback = /^Message: (.*)$/m.exec(exception.message)?.[1] ?? `HTTP ${exception.code}`;
    // Only lists go through the generated API: a 410 there is no watch expiry (re-listing would loop).
    return new KubernetesApiError(exception.code, status?.reason ?? null, status?.message ?? fallback, path);
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === "number" && error instanceof Error) return apiError(statusCode, null, error.message, path);
  return error;
}

function isFatal(error: unknown): boolean {
  return error instanceof KubernetesApiError && FATAL_STATUSES.has(error.status);
}

/** A caller's callback failed: not the cluster's fault, so not retried. */
class CallbackFailure {
  constructor(readonly error: unknown) {}
}

async function defaultDelay(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export function createKubernetesClient(options: KubernetesClientOptions): KubernetesClient {
  const config = new KubeConfig();
  config.loadFromFile(options.kubeconfigPath);
  if (options.context) config.setCurrentContext(options.context);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`The kubeconfig ${options.kubeconfigPath} has no current cluster: set current-context, or name a context.`);
  // client-node refuses plain HTTP only when it first connects, deep inside a request; say so now instead.
  if (cluster.server.startsWith("http:") && !cluster.skipTLSVerify) {
    throw new Error(`The kubeconfig's cluster "${cluster.name}" is plain HTTP (${cluster.server}); @kubernetes/client-node accepts that only with insecure-skip-tls-verify: true.`);
  }
  const api = config.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(config);

  async function listResources<K extends KubernetesKind>(kind: K, listOptions: { namespace?: string } = {}): Promise<KubernetesList<K>> {
    const { group, version, plural } = KUBERNETES_RESOURCES[kind];
    const path = pathOf(kind, listOptions.namespace);
    let body: unknown;
    try {
      body = listOptions.namespace
        ? await api.listNamespacedCustomObject({ group, version, plural, namespace: listOptions.namespace })
        : await api.listClusterCustomObject({ group, version, plural });
    } catch (error) {
      throw toKubernetesError(error, path);
    }
    const list = body as { metadata?: { resourceVersion?: string }; items?: KubernetesObject<K>[] };
    return { resourceVersion: list.metadata?.resourceVersion ?? "", items: list.items ?? [] };
  }

  function watchResources<K extends KubernetesKind>(kind: K, watchOptions: KubernetesWatchOptions<K>): Promise<KubernetesWatchResult> {
    const path = pathOf(kind, watchOptions.namespace);
    const signal = watchOptions.signal;
    let last = watchOptions.resourceVersion ?? null;
    if (signal?.aborted) return Promise.resolve({ resourceVersion: last, endedBy: "abort" });

    return new Promise<KubernetesWatchResult>((resolve, reject) => {
      let controller: AbortController | undefined;
      let failure: { error: unknown } | null = null;
      // Handlers run one at a time in arrival order, even when they are async.
      let queue: Promise<void> = Promise.resolve();
      const stopped = () => failure !== null || signal?.aborted === true;
      const fail = (error: unknown) => {
        failure ??= { error };
        controller?.abort();
      };
      const enqueue = (run: () => void | Promise<void>, resourceVersion: string | undefined) => {
        queue = queue.then(async () => {
          if (stopped()) return;
          try {
            await run();
            if (resourceVersion) last = resourceVersion;
          } catch (error) {
            fail(error);
          }
        });
      };
      const onAbort = () => controller?.abort();
      signal?.addEventListener("abort", onAbort, { once: true });

      const params: Record<string, string | number | boolean | undefined> = { allowWatchBookmarks: true };
      if (last) params.resourceVersion = last;
      if (watchOptions.timeoutSeconds !== undefined) params.timeoutSeconds = watchOptions.timeoutSeconds;

      const onLine = (type: string, object: unknown) => {
        if (stopped()) return;
        if (type === "ERROR") {
          const status = isStatus(object) ? object : null;
          const code = status?.code ?? 500;
          fail(apiError(code, status?.reason ?? null, status?.message ?? "watch error", path));
          return;
        }
        const resourceVersion = (object as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
        if (type === "BOOKMARK") {
          enqueue(() => (resourceVersion ? watchOptions.onBookmark?.(resourceVersion) : undefined), resourceVersion);
          return;
        }
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") {
          enqueue(() => watchOptions.onEvent(type, object as KubernetesObject<K>), resourceVersion);
        }
      };

      const onDone = (error: unknown) => {
        signal?.removeEventListener("abort", onAbort);
        void queue.then(() => {
          if (failure) reject(toKubernetesError(failure.error, path));
          else if (signal?.aborted) resolve({ resourceVersion: last, endedBy: "abort" });
          else if (error === null || error === undefined) resolve({ resourceVersion: last, endedBy: "server" });
          else if ((error as { name?: unknown }).name === "TimeoutError") resolve({ resourceVersion: last, endedBy: "timeout" });
          else reject(toKubernetesError(error, path));
        });
      };

      watcher.watch(path, params, onLine, onDone).then(
        (started) => {
          controller = started;
          if (stopped()) started.abort();
        },
        (error: unknown) => {
          // Failed before the request was sent (the kubeconfig's auth, for one): `done` is not called.
          signal?.removeEventListener("abort", onAbort);
          reject(toKubernetesError(error, path));
        },
      );
    });
  }

  /*
   * Written on `Watch` rather than client-node's `makeInformer`/`ListWatch`: ListWatch re-lists on
   * 410, but it reports objects as add/update against its own cache (the server's event types and
   * the list as one state are lost), gives up for good on the first other error instead of backing
   * off, cannot tell an auth failure from a dropped connection, and takes no abort signal.
   */
  async function followResources<K extends KubernetesKind>(kind: K, follow: KubernetesFollowOptions<K>): Promise<void> {
    const { signal } = follow;
    const delay = follow.delay ?? defaultDelay;
    const base = follow.retryBaseMs ?? 1_000;
    const max = follow.retryMaxMs ?? 30_000;
    const guard =
      <A extends unknown[]>(callback: (...args: A) => void | Promise<void>) =>
      async (...args: A) => {
        try {
          await callback(...args);
        } catch (error) {
          throw new CallbackFailure(error);
        }
      };
    const onList = guard(follow.onList);
    const onEvent = guard(follow.onEvent);

    let resourceVersion: string | null = null;
    let failures = 0;
    while (!signal.aborted) {
      let fresh = false;
      let seen = false;
      try {
        if (resourceVersion === null) {
          const list = await listResources(kind, { namespace: follow.namespace });
          if (signal.aborted) return;
          await onList(list.items, list.resourceVersion);
          resourceVersion = list.resourceVersion;
          fresh = true;
        }
        const result: KubernetesWatchResult = await watchResources(kind, {
          resourceVersion,
          namespace: follow.namespace,
          signal,
          timeoutSeconds: follow.watchTimeoutSeconds ?? 300,
          onEvent: (type, object) => {
            seen = true;
            return onEvent(type, object);
          },
          onBookmark: () => {
            seen = true;
          },
        });
        resourceVersion = result.resourceVersion ?? resourceVersion;
        if (result.endedBy === "abort") return;
        // A watch that brought something, or that was quiet for client-node's whole inactivity
        // timeout, was healthy: go straight back. One the server ended with nothing may be a server
        // closing watches at once, so it waits like a failure rather than spin.
        if (seen || result.endedBy === "timeout") {
          failures = 0;
          continue;
        }
        failures++;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CallbackFailure) throw error.error;
        if (error instanceof KubernetesWatchExpiredError) {
          // The server no longer has the writes since our version: only a fresh list is complete.
          resourceVersion = null;
          // Outside the try: a throw here is the caller's and rejects as it is.
          await follow.onRelist?.("expired");
          // A list's own version already too old means a server in trouble: wait before the next list.
          if (!fresh || seen) {
            failures = 0;
            continue;
          }
        }
        if (isFatal(error)) throw error;
        failures++;
        follow.onError?.(error, failures);
      }
      await delay(Math.min(max, base * 2 ** (failures - 1)), signal);
    }
  }

  return { server: cluster.server, listResources, watchResources, followResources };
}
