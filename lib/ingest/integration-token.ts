import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import type { Integration } from "@/lib/ingest/integrations";
import { type Credentials, decryptCredentials } from "@/lib/security/credentials";
import { resolveSecrets } from "@/lib/security/secrets";

export class IntegrationNotUsableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntegrationNotUsableError";
  }
}

/**
 * The token of an integration: the environment's for ENV ones, the sandbox's own for the sandbox,
 * and for stored ones their credentials, read here by id (the shared client never selects them)
 * and decrypted with ENCRYPTION_KEY only for the length of the run.
 */
export async function integrationToken(db: Db, integration: Integration, env: Env, tokens: { env: string | undefined; envName: string; sandbox: string }): Promise<string> {
  switch (integration.origin) {
    case "ENV":
      if (!tokens.env) throw new IntegrationNotUsableError(`${tokens.envName} is not set in this process.`);
      return tokens.env;
    case "SANDBOX":
      return tokens.sandbox;
    case "DATABASE": {
      const stored = await db.integration.findUnique({ where: { id: integration.id }, select: { credentialsEncrypted: true } });
      if (!stored?.credentialsEncrypted) throw new IntegrationNotUsableError(`${integration.name} has no stored credentials; remove it and add it again.`);
      const key = env.ENCRYPTION_KEY ?? resolveSecrets(env, { generateIfMissing: false }).encryptionKey;
      let credentials: Credentials;
      try {
        credentials = decryptCredentials(stored.credentialsEncrypted, key);
      } catch (error) {
        throw new IntegrationNotUsableError(error instanceof Error ? error.message : String(error));
      }
      if (!credentials.token) throw new IntegrationNotUsableError(`${integration.name} has no stored token; remove it and add it again.`);
      return credentials.token;
    }
    default: {
      const never: never = integration.origin;
      throw new IntegrationNotUsableError(`Unknown integration origin ${String(never)}`);
    }
  }
}
