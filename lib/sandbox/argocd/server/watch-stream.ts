/**
 * `GET /api/v1/stream/applications`: grpc-gateway's server streaming, one `{"result": …}` JSON
 * object per line on a response that stays open. Argo CD first sends every matching app as ADDED,
 * then an event whenever an app changes. The sandbox has no informer to hear changes from, so each
 * stream re-reads the truth at the clock's now every `pollMs` of real time and sends the apps whose
 * serialised form differs from what it last sent: with a frozen clock nothing is sent until a test
 * moves it; under a real clock the demo streams as the scenario unfolds.
 */
import type { ServerResponse } from "node:http";
import type { ApiObject } from "./serialize-application";

export interface WatchStream {
  close(): void;
}

export interface WatchOptions {
  res: ServerResponse;
  /** The matching Applications as of the clock's now, in the API form, by name. */
  current(): Map<string, ApiObject>;
  pollMs: number;
  onClose(stream: WatchStream): void;
}

export function openWatchStream(options: WatchOptions): WatchStream {
  const { res } = options;
  const sent = new Map<string, string>();
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  const emit = (type: "ADDED" | "MODIFIED" | "DELETED", application: ApiObject) => {
    res.write(`${JSON.stringify({ result: { type, application } })}\n`);
  };

  const publish = () => {
    if (closed) return;
    const now = options.current();
    for (const [name, application] of now) {
      const json = JSON.stringify(application);
      const previous = sent.get(name);
      if (previous === json) continue;
      emit(previous === undefined ? "ADDED" : "MODIFIED", application);
      sent.set(name, json);
    }
    // Only when a clock is set back: the truth never deletes an app.
    for (const [name, json] of sent) {
      if (now.has(name)) continue;
      emit("DELETED", JSON.parse(json) as ApiObject);
      sent.delete(name);
    }
  };

  const stream: WatchStream = {
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      if (!res.writableEnded) res.end();
      options.onClose(stream);
    },
  };

  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache", "x-content-type-options": "nosniff" });
  publish();
  timer = setInterval(() => {
    try {
      publish();
    } catch (error) {
      console.error("[argocd-sandbox] watch failed", error);
      stream.close();
    }
  }, options.pollMs);
  // A client going away is the normal end of a watch. The response's `close` is the one to follow:
  // a request's own `close` fires as soon as its (empty) body has been read.
  res.on("close", () => stream.close());
  return stream;
}
