// POST /api/webhooks/github — signed GitHub deliveries: verified, deduplicated, stored, queued; answered at once.
import { type NextRequest, NextResponse } from "next/server";
import { getClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors";
import { MAX_WEBHOOK_BYTES, receiveGithubWebhook } from "@/lib/data/webhooks/receive-github-webhook";
import { QUEUES } from "@/lib/worker/queues";
import { getQueueClient } from "@/lib/worker/queue-client";

export const dynamic = "force-dynamic";

/** The raw body, or null when it exceeds `limit` bytes (read incrementally, never buffered past it). */
async function readLimited(request: NextRequest, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function POST(request: NextRequest): Promise<Response> {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  try {
    if (Number(request.headers.get("content-length") ?? 0) > MAX_WEBHOOK_BYTES) {
      return NextResponse.json({ message: `Body larger than ${MAX_WEBHOOK_BYTES} bytes.` }, { status: 413 });
    }
    const rawBody = await readLimited(request, MAX_WEBHOOK_BYTES);
    if (rawBody === null) return NextResponse.json({ message: `Body larger than ${MAX_WEBHOOK_BYTES} bytes.` }, { status: 413 });
    const result = await receiveGithubWebhook(
      {
        db: getDb(),
        clock: getClock(),
        secret: getEnv().GITHUB_WEBHOOK_SECRET,
        enqueue: async (deliveryId) => {
          const boss = await getQueueClient();
          await boss.send(QUEUES.webhook, { deliveryId }, { singletonKey: deliveryId });
        },
      },
      { headers: request.headers, rawBody, clientIp: null, requestId },
    );
    return NextResponse.json(result.body, { status: result.status, headers: { "x-request-id": requestId } });
  } catch (error) {
    const { status, body } = toErrorResponse(error, requestId);
    return NextResponse.json(body, { status });
  }
}
