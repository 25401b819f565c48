import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { DEMO_EMAIL_DOMAIN } from "@/lib/auth/demo-users";
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

export const DEMO_ACCOUNT_REFUSAL =
  'Demo accounts have public passwords, so they cannot add sources. Create your own admin with `npm run cli -- users add --email you@example.com --name "Your Name" --role admin` and sign in with it.';

/**
 * Sandbox demo accounts have their passwords printed on the sign-in page: anyone could sign in as
 * their admin. Letting one add a real source would let anyone read (and steer the sync of) real
 * data, so only a person's own account, or the system (CLI, jobs), may. The role in the session is
 * not enough: the account's e-mail is what marks it as a demo one, so it is read fresh here.
 */
async function assertNotDemoAccount(ctx: ViewerContext, db: IntegrationDeps["db"]): Promise<void> {
  if (ctx.viewer.kind !== "user") return;
  const user = await db.user.findUnique({ where: { id: ctx.viewer.userId }, select: { email: true } });
  // A session whose account is gone cannot say who acts; fail closed.
  if (!user) throw new AppError("UNAUTHENTICATED", "Your account no longer exists; sign in again.");
  if (user.email.toLowerCase().endsWith(DEMO_EMAIL_DOMAIN)) throw new AppError("FORBIDDEN", DEMO_ACCOUNT_REFUSAL);
}

/**
 * Stores a GitHub integration: the token sealed under ENCRYPTION_KEY (never returned or logged, and
 * absent from the audit event), then queues its first sync. Admins only.
 */
export async function createGithubIntegration(ctx: ViewerContext, input: CreateGithubIntegrationInput, deps: IntegrationDeps = defaultIntegrationDeps()): Promise<CreatedIntegrationDto> {
  assertCan(ctx, "settings:manage");
  await assertNotDemoAccount(ctx, deps.db);
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
