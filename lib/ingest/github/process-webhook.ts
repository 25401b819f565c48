import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";

/**
 * Processes a stored delivery by re-fetching the repository it concerns through the normal
 * incremental sync: the payload says *where* to look, never *what* the state is, so a late or
 * replayed delivery cannot regress anything. Returns what happened, for the log.
 */
export async function processGithubWebhook(db: Db, deliveryId: string, options: { env: Env; clock: Clock }): Promise<string> {
  const delivery = await db.webhookDelivery.findUnique({ where: { deliveryId } });
  if (!delivery || delivery.status === "PROCESSED") return "nothing to do";
  await db.webhookDelivery.update({ where: { deliveryId }, data: { status: "PROCESSING", attempts: { increment: 1 } } });
  try {
    const repository = (delivery.payload as { repository?: { full_name?: unknown } }).repository?.full_name;
    let outcome = "no repository in payload";
    let integrationId: string | null = null;
    if (delivery.event !== "ping" && typeof repository === "string") {
      const known = await db.repository.findFirst({ where: { fullName: { equals: repository, mode: "insensitive" } }, include: { integration: true } });
      if (known && known.integration.enabled && known.integration.kind === "GITHUB") {
        integrationId = known.integrationId;
        await runGithubSync(db, known.integration, { ...options, onlyRepositories: [known.fullName] });
        outcome = `re-fetched ${known.fullName}`;
      } else {
        outcome = `repository ${repository} is not tracked`;
      }
    }
    await db.webhookDelivery.update({ where: { deliveryId }, data: { status: "PROCESSED", processedAt: options.clock.now(), integrationId } });
    return outcome;
  } catch (error) {
    await db.webhookDelivery.update({ where: { deliveryId }, data: { status: "FAILED", error: error instanceof Error ? error.message : String(error) } });
    throw error;
  }
}
