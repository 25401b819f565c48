import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ArgoCdError, createArgoCdClient } from "@/lib/sources/argocd/client";
import type { RawArgoApplicationWatchEvent } from "@/lib/sources/argocd/types";

/**
 * The client's HTTP edges that the sandbox does not provoke on its own: a stream message split
 * across chunks, Argo CD's error bodies, retries of a read after a 503, no retry of a sync.
 */
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => {
    server.close(() => resolve());
    // A watch never ends by itself, and fetch keeps connections alive: do not wait for either.
    server.closeAllConnections();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const app = (name: string) => ({ metadata: { name }, spec: { destination: { namespace: name } } });

describe("Argo CD client", () => {
  it("sends the bearer token and maps Argo CD's error body (code and message)", async () => {
    const url = await serve((request, response) => {
      if (request.headers.authorization !== "Bearer right") {
        response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "no session information", code: 16, message: "no session information" }));
        return;
      }
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: 'applications.argoproj.io "x" not found', code: 5, message: 'applications.argoproj.io "x" not found' }));
    });
    const wrong = createArgoCdClient({ baseUrl: url, token: "wrong", retryBaseMs: 1 });
    await expect(wrong.listApplications()).rejects.toMatchObject({ status: 401, code: 16, message: expect.stringContaining("no session information") });
    const right = createArgoCdClient({ baseUrl: `${url}/`, token: "right", retryBaseMs: 1 });
    const error = await right.getApplication("x").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect(error).toMatchObject({ status: 404, code: 5, path: "/api/v1/applications/x" });
  });

  it("retries a read after a 503 and gives up on a sync at once", async () => {
    let lists = 0;
    let syncs = 0;
    const url = await serve((request, response) => {
      if (request.method === "POST") {
        syncs += 1;
        response.writeHead(503).end("upstream unavailable");
        return;
      }
      lists += 1;
      if (lists < 3) response.writeHead(503).end("upstream unavailable");
      else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ metadata: { resourceVersion: "42" }, items: [app("a")] }));
    });
    const client = createArgoCdClient({ baseUrl: url, token: "t", retryBaseMs: 1 });
    expect(await client.listApplications()).toEqual({ resourceVersion: "42", items: [app("a")] });
    expect(lists).toBe(3);
    await expect(client.sync("a", { revision: "abc" })).rejects.toMatchObject({ status: 503 });
    expect(syncs).toBe(1);
  });

  it("parses the stream's messages even when one is split across chunks, in order, until the server ends it", async () => {
    const messages = [
      { result: { type: "ADDED", application: app("a") } },
      { result: { type: "ADDED", application: app("b") } },
      { result: { type: "MODIFIED", application: app("a") } },
    ].map((message) => `${JSON.stringify(message)}\n`);
    const whole = messages.join("");
    const url = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      // Cut in the middle of the second message.
      response.write(whole.slice(0, messages[0]!.length + 7));
      setTimeout(() => response.end(whole.slice(messages[0]!.length + 7)), 20);
    });
    const client = createArgoCdClient({ baseUrl: url, token: "t" });
    const events: RawArgoApplicationWatchEvent[] = [];
    await client.watchApplications({ signal: new AbortController().signal, onEvent: (event) => void events.push(event) });
    expect(events.map((event) => [event.type, event.application.metadata.name])).toEqual([["ADDED", "a"], ["ADDED", "b"], ["MODIFIED", "a"]]);
  });

  it("ends a watch quietly when the caller aborts, and throws an error the stream reports", async () => {
    const url = await serve((request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      if (request.url?.includes("name=broken")) {
        response.end(`${JSON.stringify({ error: { code: 7, message: "permission denied", http_code: 403 } })}\n`);
        return;
      }
      response.write(`${JSON.stringify({ result: { type: "ADDED", application: app("a") } })}\n`);
      // Never ends by itself.
    });
    const client = createArgoCdClient({ baseUrl: url, token: "t" });
    const controller = new AbortController();
    const seen: string[] = [];
    await client.watchApplications({
      signal: controller.signal,
      onEvent: (event) => {
        seen.push(event.application.metadata.name);
        controller.abort();
      },
    });
    expect(seen).toEqual(["a"]);
    await expect(client.watchApplications({ signal: new AbortController().signal, name: "broken", onEvent: () => {} })).rejects.toMatchObject({ status: 403, code: 7 });
  });

  it("names an app outside the control-plane namespace by `appNamespace`: a query parameter on reads, the body of a sync", async () => {
    const seen: { method: string; url: string; body: string }[] = [];
    const url = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        seen.push({ method: request.method ?? "", url: request.url ?? "", body });
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(app("ledger")));
      });
    });
    const client = createArgoCdClient({ baseUrl: url, token: "t", retryBaseMs: 1 });
    await client.getApplication("ledger", "team-finance");
    await client.resourceTree("ledger", "team-finance");
    await client.managedResources("ledger", "team-finance");
    await client.syncWindows("ledger", "team/odd");
    await client.sync("ledger", { revision: "abc" }, "team-finance");
    // Without a namespace (or an empty one) the control-plane namespace is meant: no parameter.
    await client.managedResources("ledger");
    await client.getApplication("ledger", "");
    await client.sync("ledger", { revision: "abc" });
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /api/v1/applications/ledger?appNamespace=team-finance",
      "GET /api/v1/applications/ledger/resource-tree?appNamespace=team-finance",
      "GET /api/v1/applications/ledger/managed-resources?appNamespace=team-finance",
      "GET /api/v1/applications/ledger/syncwindows?appNamespace=team%2Fodd",
      "POST /api/v1/applications/ledger/sync?appNamespace=team-finance",
      "GET /api/v1/applications/ledger/managed-resources",
      "GET /api/v1/applications/ledger",
      "POST /api/v1/applications/ledger/sync",
    ]);
    expect(JSON.parse(seen[4]!.body)).toEqual({ revision: "abc", prune: false, infos: [], name: "ledger", appNamespace: "team-finance" });
    expect(JSON.parse(seen[7]!.body)).toEqual({ revision: "abc", prune: false, infos: [] });
  });
});
