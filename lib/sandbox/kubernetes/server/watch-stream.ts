/**
 * A Kubernetes watch (`?watch=true`): a response that stays open and carries one JSON watch event
 * per line, `{"type":"ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR","object":{…}}`. It starts
 * after the requested resourceVersion (every write since then, in order), or, without one, with
 * the current objects as ADDED. A resourceVersion older than the store still remembers is
 * answered, as the API server does, with a single ERROR event carrying a 410 `Expired` Status, and
 * the stream ends. The sandbox has no etcd to be told of writes, so each stream looks at the
 * store every `pollMs` of real time and sends the writes the clock has moved past: with a frozen
 * clock nothing comes until a test moves it; under a real clock the demo streams as it unfolds.
 */
import type { ServerResponse } from "node:http";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { expiredStatus } from "./kube-status";
import { type ClusterStore, resourceVersionOf } from "./store";
import { RESOURCE_VERSION_BASE, type ResourceType } from "./timeline";

export interface WatchStream {
  close(): void;
}

export interface WatchOptions {
  res: ServerResponse;
  store: ClusterStore;
  type: ResourceType;
  /** Which objects of the type this watch follows. */
  matches(object: ClusterObject): boolean;
  /** The raw `resourceVersion` parameter; null, "" or "0" start from the current state. */
  resourceVersion: number | null;
  resourceVersionText: string | null;
  bookmarks: boolean;
  timeoutSeconds: number | null;
  pollMs: number;
  onClose(stream: WatchStream): void;
}

export function openWatchStream(options: WatchOptions): WatchStream {
  const { res, store, type } = options;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let timeout: NodeJS.Timeout | null = null;

  const stream: WatchStream = {
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      if (timeout) clearTimeout(timeout);
      if (!res.writableEnded) res.end();
      options.onClose(stream);
    },
  };
  const write = (event: { type: string; object: unknown }) => {
    res.write(`${JSON.stringify(event)}\n`);
  };

  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache, private", "x-content-type-options": "nosniff" });
  // The API server answers a watch's headers at once; clients wait for them before reading events.
  res.flushHeaders();

  const limit = store.limit();
  let cursor: number;
  if (options.resourceVersion === null) {
    // "Get state and start at most recent": the current objects as ADDED, then what follows.
    cursor = store.count(limit);
    for (const object of store.objects(type.resource, limit)) if (options.matches(object)) write({ type: "ADDED", object });
  } else {
    const compacted = store.compactedCount(limit);
    const requested = options.resourceVersion - RESOURCE_VERSION_BASE;
    if (requested < compacted) {
      write({ type: "ERROR", object: expiredStatus(options.resourceVersionText ?? String(options.resourceVersion), RESOURCE_VERSION_BASE + compacted + 1) });
      stream.close();
      return stream;
    }
    cursor = requested;
  }

  const publish = () => {
    if (closed) return;
    const count = store.count();
    // A clock set back leaves the watch where it was; it resumes once time passes its cursor again.
    if (count <= cursor) return;
    let sent = 0;
    for (const change of store.changesBetween(cursor, count)) {
      if (change.resource !== type.resource || !options.matches(change.object)) continue;
      write({ type: change.type, object: change.object });
      sent++;
    }
    cursor = count;
    if (sent === 0 && options.bookmarks) {
      write({ type: "BOOKMARK", object: { kind: type.kind, apiVersion: type.group === "" ? type.version : `${type.group}/${type.version}`, metadata: { resourceVersion: resourceVersionOf(count) } } });
    }
  };

  publish();
  timer = setInterval(() => {
    try {
      publish();
    } catch (error) {
      console.error("[kubernetes-sandbox] watch failed", error);
      stream.close();
    }
  }, options.pollMs);
  if (options.timeoutSeconds !== null) timeout = setTimeout(() => stream.close(), options.timeoutSeconds * 1000);
  // A client going away is the normal end of a watch.
  res.on("close", () => stream.close());
  return stream;
}
