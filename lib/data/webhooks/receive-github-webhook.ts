import { verify } from "@octokit/webhooks-methods";
import { appendAudit } from "@/lib/audit/append-audit";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

/** Events that can change delivery state; anything else is refused before it is stored. */
export const ACCEPTED_GITHUB_EVENTS = new Set(["ping", "deployment", "deployment_status", "workflow_run", "pull_request", "pull_request_review", "push", "issues"]);

/** GitHub caps payloads at 25 MB; ours are far smaller, and a body this size is not a webhook we want. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export interface WebhookResult {
  status: number;
  body: { message: string; deliveryId?: string; duplicate?: boolean };
}

export interface ReceiveGithubWebhookDeps {
  db: Db;
  clock: Clock;
  secret: string | undefined;
  /** Queues the job that re-fetches the state this delivery concerns. */
  enqueue: (deliveryId: string) => Promise<void>;
}

/**
 * Receives one GitHub delivery: verifies `X-Hub-Signature-256` over the raw body (401 and nothing
 * stored when missing or wrong), refuses events outside the allowlist, stores the delivery once per
 * `X-GitHub-Delivery` (a failed one may be processed again), queues its job and answers at once.
 * The payload is never trusted as state: the job re-fetches from GitHub.
 */
export async function receiveGithubWebhook(deps: ReceiveGithubWebhookDeps, request: { headers: Headers; rawBody: string; clientIp: string | null; requestId: string }): Promise<WebhookResult> {
  if (!deps.secret) return { status: 404, body: { message: "GitHub webhooks are not configured (set GITHUB_WEBHOOK_SECRET)." } };
  const signature = request.headers.get("x-hub-signature-256");
  const event = request.headers.get("x-github-event");
  const deliveryId = request.headers.get("x-github-delivery");
  const validSignature = !!signature && /^sha256=[0-9a-f]{64}$/.test(signature) && (await verify(deps.secret, request.rawBody, signature).catch(() => false));
  if (!validSignature) {
    // Recorded as a security event; the delivery itself is not stored and nothing changes.
    await appendAudit(deps.db, {
      occurredAt: deps.clock.now(),
      actor: { kind: "ANONYMOUS", display: request.clientIp ?? "unknown client" },
      action: "webhook.signature_rejected",
      target: { type: "webhook", id: deliveryId?.slice(0, 100) ?? "unknown", display: `github ${event?.slice(0, 50) ?? "unknown event"}` },
      outcome: "denied",
      source: "github-webhook",
      requestId: request.requestId,
      clientIp: request.clientIp,
      metadata: { reason: signature ? "signature does not match" : "signature missing" },
    });
    return { status: 401, body: { message: signature ? "Signature does not match." : "X-Hub-Signature-256 is missing." } };
  }
  if (!event || !deliveryId) return { status: 400, body: { message: "X-GitHub-Event and X-GitHub-Delivery are required." } };
  if (!ACCEPTED_GITHUB_EVENTS.has(event)) return { status: 422, body: { message: `Event ${event} is not accepted; subscribe only to ${[...ACCEPTED_GITHUB_EVENTS].join(", ")}.`, deliveryId } };

  let payload: Prisma.InputJsonValue;
  try {
    payload = JSON.parse(request.rawBody) as Prisma.InputJsonValue;
  } catch {
    return { status: 400, body: { message: "The body is not JSON.", deliveryId } };
  }
  const action = typeof payload === "object" && payload !== null && "action" in payload && typeof payload.action === "string" ? payload.action : null;

  const existing = await deps.db.webhookDelivery.findUnique({ where: { deliveryId }, select: { status: true } });
  if (existing && existing.status !== "FAILED") return { status: 200, body: { message: "Already received.", deliveryId, duplicate: true } };
  const receivedAt = deps.clock.now();
  try {
    if (existing) {
      await deps.db.webhookDelivery.update({ where: { deliveryId }, data: { status: "RECEIVED", payload, receivedAt, error: null } });
    } else {
      await deps.db.webhookDelivery.create({ data: { deliveryId, event, action, payload, receivedAt } });
    }
  } catch (error) {
    // Two copies of one delivery at the same moment: the other one stored it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { status: 200, body: { message: "Already received.", deliveryId, duplicate: true } };
    throw error;
  }
  await deps.enqueue(deliveryId);
  return { status: 202, body: { message: "Accepted.", deliveryId } };
}
