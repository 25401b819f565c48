import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import type { GithubIntegrationSettings } from "@/lib/ingest/integrations";
import { type CreateGithubIntegrationInput, createGithubIntegrationSchema } from "@/lib/queries/integrations";
import { encryptCredentials } from "@/lib/security/credentials";
import type { SyncEnqueueStatus } from "./enqueue-sync-once";
import { type IntegrationDeps, defaultIntegrationDeps, encryptionKeyOf } from "./integration-deps";
import { describeSyncStatus } from "./request-integration-sync";

export type CreatedIntegrationDto = {
  integration: { id: string; name: string; kind: "GITHUB" };
  /** The first sync's job, or null when the queue could not be reached (the scheduled sync will pick it up). */
  sync: SyncEnqueueStatus | null;
  message: string;
};

const TX = { timeout: 15_000, maxWait: 10_000 } as const;

/**
 * Stores a GitHub integration: the token sealed under ENCRYPTION_KEY (never returned or logged, and
 * absent from the audit event), then queues its first sync. Admins only.
 */
export async function createGithubIntegration(ctx: ViewerContext, input: CreateGithubIntegrationInput, deps: IntegrationDeps = defaultIntegrationDeps()): Promise<CreatedIntegrationDto> {
  assertCan(ctx, "settings:manage");
  const parsed = createGithubIntegrationSchema.parse(input);
  const settings: GithubIntegrationSettings = { org: parsed.org === "" ? null : parsed.org, repositories: parsed.repositories, backfillDays: parsed.backfillDays };
  const credentialsEncrypted = encryptCredentials({ token: parsed.token }, encryptionKeyOf(deps.env));
  const now = ctx.clock.now();

  let created: { id: string; name: string };
  try {
    created = await deps.db.$transaction(async (tx) => {
      const integration = await tx.integration.create({
        data: { kind: "GITHUB", name: parsed.name, origin: "DATABASE", baseUrl: parsed.baseUrl, settings: { ...settings }, credentialsEncrypted: new Uint8Array(credentialsEncrypted) },
        select: { id: true, name: true },
      });
      await appendAudit(tx, {
        occurredAt: now,
        actor: actorOf(ctx),
        action: "integration.created",
        target: { type: "integration", id: integration.id, display: integration.name },
        outcome: "success",
        before: null,
        // What was configured, minus the secret: only that a token was given.
        after: { kind: "GITHUB", name: integration.name, baseUrl: parsed.baseUrl, ...settings, credentials: "token (encrypted)" },
        source: "dashboard",
        requestId: ctx.requestId,
        clientIp: ctx.clientIp,
      });
      return integration;
    }, TX);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", `A GitHub integration named ${parsed.name} already exists; choose another name.`);
    }
    throw error;
  }

  let sync: SyncEnqueueStatus | null = null;
  try {
    sync = await deps.enqueue(created.id);
  } catch (error) {
    // The integration is saved; the next scheduled sync-all covers it, so this is not the caller's failure.
    console.error(`[pipeline-health] first sync of ${created.name} not queued:`, error instanceof Error ? error.message : error);
  }
  return {
    integration: { ...created, kind: "GITHUB" },
    sync,
    message: sync ? `${created.name} added. ${describeSyncStatus(created.name, sync)}` : `${created.name} added; it syncs with the next scheduled run.`,
  };
}
