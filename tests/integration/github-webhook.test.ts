import { sign } from "@octokit/webhooks-methods";
import examples from "@octokit/webhooks-examples";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { receiveGithubWebhook } from "@/lib/data/webhooks/receive-github-webhook";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const SECRET = "It's a Secret to Everybody";

/** GitHub's own example deliveries, exactly as GitHub sends their bodies. */
function exampleBody(event: string): string {
  const group = examples.find((entry) => entry.name === event);
  if (!group) throw new Error(`no ${event} example`);
  return JSON.stringify(group.examples[0]);
}

async function headers(event: string, deliveryId: string, body: string, signature?: string | null): Promise<Headers> {
  const result = new Headers({ "x-github-event": event, "x-github-delivery": deliveryId, "content-type": "application/json" });
  const value = signature === undefined ? await sign(SECRET, body) : signature;
  if (value !== null) result.set("x-hub-signature-256", value);
  return result;
}

describe("GitHub webhook receiver", () => {
  let database: TestDatabase;
  let queued: string[];
  const clock = frozenClock("2026-11-27T10:00:00Z");
  const deps = () => ({ db: database.db, clock, secret: SECRET, enqueue: async (id: string) => void queued.push(id) });
  const receive = async (event: string, deliveryId: string, body: string, signature?: string | null) =>
    await receiveGithubWebhook(deps(), { headers: await headers(event, deliveryId, body, signature), rawBody: body, clientIp: "203.0.113.9", requestId: "req-1" });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(() => {
    queued = [];
  });

  it.each(["deployment_status", "workflow_run", "pull_request", "push", "issues"])("accepts a signed %s delivery, stores it once and queues it", async (event) => {
    const body = exampleBody(event);
    const deliveryId = `delivery-${event}`;
    const result = await receive(event, deliveryId, body);
    expect(result).toEqual({ status: 202, body: { message: "Accepted.", deliveryId } });
    expect(queued).toEqual([deliveryId]);
    const stored = await database.db.webhookDelivery.findUniqueOrThrow({ where: { deliveryId } });
    expect(stored).toMatchObject({ event, status: "RECEIVED", receivedAt: new Date("2026-11-27T10:00:00Z") });
    expect(stored.payload).toEqual(JSON.parse(body));
  });

  it("answers a repeated delivery without storing or queueing it again", async () => {
    const body = exampleBody("push");
    await receive("push", "delivery-repeat", body);
    const again = await receive("push", "delivery-repeat", body);
    expect(again).toEqual({ status: 200, body: { message: "Already received.", deliveryId: "delivery-repeat", duplicate: true } });
    expect(queued).toEqual(["delivery-repeat"]);
    expect(await database.db.webhookDelivery.count({ where: { deliveryId: "delivery-repeat" } })).toBe(1);
  });

  it("processes a failed delivery again when GitHub redelivers it", async () => {
    const body = exampleBody("push");
    await receive("push", "delivery-failed", body);
    await database.db.webhookDelivery.update({ where: { deliveryId: "delivery-failed" }, data: { status: "FAILED", error: "boom" } });
    const again = await receive("push", "delivery-failed", body);
    expect(again.status).toBe(202);
    expect(queued).toEqual(["delivery-failed", "delivery-failed"]);
    expect(await database.db.webhookDelivery.findUniqueOrThrow({ where: { deliveryId: "delivery-failed" } })).toMatchObject({ status: "RECEIVED", error: null });
  });

  it.each([
    ["missing", null, "X-Hub-Signature-256 is missing."],
    ["wrong", "sha256=" + "0".repeat(64), "Signature does not match."],
    ["malformed", "sha1=abc", "Signature does not match."],
  ])("refuses a %s signature with 401 and stores no delivery", async (_kind, signature, message) => {
    const before = await database.db.webhookDelivery.count();
    const result = await receive("push", `delivery-bad-${_kind}`, exampleBody("push"), signature);
    expect(result).toEqual({ status: 401, body: { message } });
    expect(queued).toEqual([]);
    expect(await database.db.webhookDelivery.count()).toBe(before);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { action: "webhook.signature_rejected", targetId: `delivery-bad-${_kind}` } });
    expect(audit).toMatchObject({ outcome: "denied", clientIp: "203.0.113.9" });
  });

  it("refuses a body signed for different content (a tampered payload)", async () => {
    const body = exampleBody("push");
    const signature = await sign(SECRET, body);
    const tampered = body.replace('"ref":', '"ref" :');
    const result = await receiveGithubWebhook(deps(), { headers: await headers("push", "delivery-tampered", tampered, signature), rawBody: tampered, clientIp: null, requestId: "r" });
    expect(result.status).toBe(401);
  });

  it("refuses events outside the allowlist before storing them", async () => {
    const result = await receive("star", "delivery-star", exampleBody("star"));
    expect(result.status).toBe(422);
    expect(result.body.message).toContain("Event star is not accepted");
    expect(await database.db.webhookDelivery.findUnique({ where: { deliveryId: "delivery-star" } })).toBeNull();
  });

  it("is switched off without a secret", async () => {
    const body = exampleBody("push");
    const result = await receiveGithubWebhook({ ...deps(), secret: undefined }, { headers: await headers("push", "d", body), rawBody: body, clientIp: null, requestId: "r" });
    expect(result.status).toBe(404);
  });
});
