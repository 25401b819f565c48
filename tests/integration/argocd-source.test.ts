import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { SANDBOX_ARGOCD_TOKEN } from "@/lib/ingest/integrations";
import { type ArgoCdSandbox, startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";
import { ArgoCdError, createArgoCdClient } from "@/lib/sources/argocd/client";
import { resolveAppCommit, transformApplication, transformOperation } from "@/lib/sources/argocd/transform";
import type { RawArgoApplicationWatchEvent } from "@/lib/sources/argocd/types";

/**
 * The product's own Argo CD client and transform, over HTTP, against the sandbox's Argo CD: what
 * they read matches the generator's truth at the clock's instant, and the stream brings an
 * operation's change as the clock moves.
 */
const DAY_MS = 86_400_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const clock = frozenClock(ANCHOR);
const { truth } = generateScenario({ anchor: ANCHOR, until: new Date(ANCHOR.getTime() + 5 * DAY_MS) });
let sandbox: ArgoCdSandbox;

beforeAll(async () => {
  sandbox = await startArgoCdSandbox({ truth, clock, port: 0, token: SANDBOX_ARGOCD_TOKEN });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("Argo CD source against the sandbox", () => {
  it("refuses a wrong token with Argo CD's unauthenticated code", async () => {
    const client = createArgoCdClient({ baseUrl: sandbox.url, token: "not-the-token", retryBaseMs: 1 });
    const error = await client.listApplications().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArgoCdError);
    expect(error).toMatchObject({ status: 401, code: 16 });
  });

  it("lists every Argo CD app, and each transforms to the truth's running revision, automation and app commit", async () => {
    const client = createArgoCdClient({ baseUrl: sandbox.url, token: SANDBOX_ARGOCD_TOKEN });
    const list = await client.listApplications();
    const now = truthAsOf(truth, clock.now()).gitops;
    const argoApps = now.apps.filter((app) => app.controller === "argocd-application");
    expect(list.items.map((item) => item.metadata.name).sort()).toEqual(argoApps.map((app) => app.name).sort());
    for (const app of argoApps) {
      const raw = list.items.find((item) => item.metadata.name === app.name)!;
      const record = transformApplication(raw);
      const successes = now.deployments.filter((deployment) => deployment.serviceSlug === app.serviceSlug && deployment.status === "success");
      expect(record.syncedRevision, app.name).toBe(successes.at(-1)?.configSha ?? null);
      expect([record.autoSync, record.selfHeal], app.name).toEqual([app.autoSync, app.autoSync && app.selfHeal]);
      const resolved = resolveAppCommit(raw.status?.summary?.images ?? [], app.image.split("/").at(-1) ?? null);
      const expected = successes.at(-1)?.appSha ?? null;
      if (expected === null) expect(resolved.resolution, app.name).toBe("UNRESOLVED");
      else expect(resolved, app.name).toMatchObject({ resolution: "IMAGE_TAG", sha: expected });
      // The same app by name is the same app.
      expect(transformApplication(await client.getApplication(app.name))).toEqual(record);
    }
  });

  it("follows the stream: an operation that starts after the clock moves arrives as MODIFIED with its operation", async () => {
    const client = createArgoCdClient({ baseUrl: sandbox.url, token: SANDBOX_ARGOCD_TOKEN });
    const next = truth.gitops.operations
      .filter((operation) => operation.controller === "argocd-application" && Date.parse(operation.startedAt) > clock.now().getTime())
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))[0]!;
    const app = truth.gitops.apps.find((candidate) => candidate.serviceSlug === next.serviceSlug)!;
    const controller = new AbortController();
    const events: RawArgoApplicationWatchEvent[] = [];
    const watching = client.watchApplications({
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        const operation = event.type === "MODIFIED" && event.application.metadata.name === app.name ? transformOperation(event.application) : null;
        if (operation && operation.startedAt.getTime() === Date.parse(next.startedAt)) controller.abort();
      },
    });
    // Wait for the initial ADDED events, then move the clock just past the operation's start.
    await expect.poll(() => events.filter((event) => event.type === "ADDED").length, { timeout: 5000 }).toBeGreaterThan(0);
    clock.set(new Date(Date.parse(next.startedAt) + 1000));
    await Promise.race([watching, new Promise((_, reject) => setTimeout(() => reject(new Error("no MODIFIED event within 8 s")), 8000))]);
    const modified = events.filter((event) => event.type === "MODIFIED" && event.application.metadata.name === app.name).at(-1)!;
    expect(transformOperation(modified.application)).toMatchObject({ revision: next.revision, startedAt: new Date(next.startedAt) });
  });
});
