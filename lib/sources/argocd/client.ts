import type { RawArgoApplication, RawArgoApplicationWatchEvent } from "@/lib/sources/argocd/types";

/**
 * Argo CD's REST API (`ARGOCD_SERVER`, bearer `ARGOCD_TOKEN`), through the platform's `fetch`. Argo
 * CD publishes no maintained JavaScript client; its API is plain JSON over HTTP with one streaming
 * endpoint, so this is a thin typed wrapper: errors carry Argo CD's own gRPC-style code and message,
 * reads are retried on 5xx and dropped connections, and the stream is parsed line by line.
 */

export class ArgoCdError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    /** Argo CD's gRPC status code from the error body (16 unauthenticated, 7 permission denied, 5 not found). */
    readonly code: number | null,
    message: string,
  ) {
    super(`Argo CD ${status} on ${path}: ${message}`);
    this.name = "ArgoCdError";
  }
}

export interface ArgoCdClientOptions {
  /** e.g. `https://argocd.example.com` (no `/api/v1`). */
  baseUrl: string;
  token: string;
  /** Per request, streams excepted. */
  timeoutMs?: number;
  /** Attempts for idempotent reads that fail with 5xx or a dropped connection. */
  attempts?: number;
  retryBaseMs?: number;
  onRequest?: (info: { method: string; path: string; status: number }) => void;
}

export interface ArgoCdApplicationList {
  resourceVersion: string | null;
  items: RawArgoApplication[];
}

export interface ArgoCdSyncRequest {
  revision: string;
  prune?: boolean;
  /** Shown in Argo CD's operation as `info`: the dashboard names the request and its people here. */
  infos?: { name: string; value: string }[];
}

export interface ArgoCdSyncWindows {
  canSync?: boolean;
  assignedWindows?: unknown[];
  activeWindows?: unknown[];
}

/**
 * Calls naming one application take its namespace (`metadata.namespace`) as `appNamespace`: with
 * "Applications in any namespace" Argo CD looks a bare name up in its own namespace only, so an app
 * elsewhere is "not found" without it. Omitted (or empty), the control-plane namespace is meant.
 */
export interface ArgoCdClient {
  listApplications(): Promise<ArgoCdApplicationList>;
  getApplication(name: string, appNamespace?: string | null): Promise<RawArgoApplication>;
  resourceTree(name: string, appNamespace?: string | null): Promise<{ nodes?: unknown[] }>;
  managedResources(
    name: string,
    appNamespace?: string | null,
  ): Promise<{ items?: { kind?: string; namespace?: string; name?: string; liveState?: string; targetState?: string; modified?: boolean }[] }>;
  syncWindows(name: string, appNamespace?: string | null): Promise<ArgoCdSyncWindows>;
  sync(name: string, request: ArgoCdSyncRequest, appNamespace?: string | null): Promise<RawArgoApplication>;
  /**
   * Follows `GET /api/v1/stream/applications` until the server closes it or `signal` aborts, calling
   * `onEvent` for each event in order. Resolves when the stream ends; the caller decides whether to
   * list again and reconnect (a stream that ended may have missed changes).
   */
  watchApplications(options: { signal: AbortSignal; name?: string; onEvent: (event: RawArgoApplicationWatchEvent) => void | Promise<void> }): Promise<void>;
}

const RETRYABLE = new Set([500, 502, 503, 504]);

export function createArgoCdClient(options: ArgoCdClientOptions): ArgoCdClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const retryBaseMs = options.retryBaseMs ?? 500;
  const headers = { authorization: `Bearer ${options.token}`, accept: "application/json" };

  async function failure(response: Response, path: string): Promise<ArgoCdError> {
    const text = await response.text().catch(() => "");
    let code: number | null = null;
    let message = text.slice(0, 300) || response.statusText;
    try {
      const body = JSON.parse(text) as { code?: number; message?: string; error?: string };
      code = typeof body.code === "number" ? body.code : null;
      message = body.message ?? body.error ?? message;
    } catch {
      // Not JSON (a proxy's page): the status and the text are all there is.
    }
    return new ArgoCdError(response.status, path, code, message);
  }

  async function request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const retries = method === "GET" ? attempts : 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= retries; attempt++) {
      try {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        options.onRequest?.({ method, path, status: response.status });
        if (response.ok) return (await response.json()) as T;
        const error = await failure(response, path);
        if (!RETRYABLE.has(response.status) || attempt === retries) throw error;
        lastError = error;
      } catch (error) {
        if (error instanceof ArgoCdError && !RETRYABLE.has(error.status)) throw error;
        if (attempt === retries) throw error;
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, retryBaseMs * 2 ** (attempt - 1)));
    }
    throw lastError;
  }

  const app = (name: string) => `/api/v1/applications/${encodeURIComponent(name)}`;
  const inNamespace = (appNamespace: string | null | undefined) => (appNamespace ? `?appNamespace=${encodeURIComponent(appNamespace)}` : "");

  return {
    async listApplications() {
      const list = await request<{ metadata?: { resourceVersion?: string }; items?: RawArgoApplication[] | null }>("GET", "/api/v1/applications");
      return { resourceVersion: list.metadata?.resourceVersion ?? null, items: list.items ?? [] };
    },
    getApplication: (name, appNamespace) => request<RawArgoApplication>("GET", `${app(name)}${inNamespace(appNamespace)}`),
    resourceTree: (name, appNamespace) => request("GET", `${app(name)}/resource-tree${inNamespace(appNamespace)}`),
    managedResources: (name, appNamespace) => request("GET", `${app(name)}/managed-resources${inNamespace(appNamespace)}`),
    syncWindows: (name, appNamespace) => request("GET", `${app(name)}/syncwindows${inNamespace(appNamespace)}`),
    // The sync route takes its whole body as the request (`body: "*"`), so Argo CD reads
    // `appNamespace` from the body; the query names it too for servers that route on it first.
    sync: (name, sync, appNamespace) =>
      request<RawArgoApplication>("POST", `${app(name)}/sync${inNamespace(appNamespace)}`, {
        revision: sync.revision,
        prune: sync.prune ?? false,
        infos: sync.infos ?? [],
        ...(appNamespace ? { name, appNamespace } : {}),
      }),
    async watchApplications({ signal, name, onEvent }) {
      const path = `/api/v1/stream/applications${name ? `?name=${encodeURIComponent(name)}` : ""}`;
      const response = await fetch(`${base}${path}`, { headers, signal });
      options.onRequest?.({ method: "GET", path, status: response.status });
      if (!response.ok || !response.body) throw await failure(response, path);
      const decoder = new TextDecoder();
      let buffer = "";
      const emit = async (line: string) => {
        if (!line.trim()) return;
        const message = JSON.parse(line) as { result?: RawArgoApplicationWatchEvent; error?: { code?: number; message?: string; http_code?: number } };
        if (message.error) throw new ArgoCdError(message.error.http_code ?? 500, path, message.error.code ?? null, message.error.message ?? "stream error");
        if (message.result) await onEvent(message.result);
      };
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let newline = buffer.indexOf("\n");
          while (newline >= 0) {
            await emit(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf("\n");
          }
        }
        await emit(buffer + decoder.decode());
      } catch (error) {
        // Our own abort is how a watch is stopped, not a failure.
        if (signal.aborted) return;
        throw error;
      }
    },
  };
}
