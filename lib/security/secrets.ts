import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Env } from "@/lib/env";

export interface InstallSecrets {
  /** Signs session cookies. */
  authSecret: string;
  /** Encrypts stored integration credentials. */
  encryptionKey: string;
}

const secretsFileSchema = z.object({ authSecret: z.string().min(32), encryptionKey: z.string().min(32) });

export const SECRETS_FILE = "secrets.json";

export class MissingSecretsError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} required once a real source is configured ` +
        `(sign-in cookies and stored credentials depend on ${missing.length > 1 ? "them" : "it"}). ` +
        `Set ${missing.length > 1 ? "each" : "it"} to at least 32 random characters, e.g. \`openssl rand -base64 32\`.`,
    );
    this.name = "MissingSecretsError";
  }
}

function secretsFile(env: Env): string {
  return path.resolve(env.PIPELINE_HEALTH_DATA_DIR, SECRETS_FILE);
}

function readSecretsFile(file: string): InstallSecrets | null {
  try {
    return secretsFileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`${file} is unreadable or damaged (${(error as Error).message}); delete it to generate new secrets (everyone will have to sign in again).`);
  }
}

/**
 * The installation's secrets: from the environment, else (sandbox mode only) from a file in the
 * data directory, generated on first use. Keeping them in a file rather than regenerating them per
 * start means a restart keeps people signed in and stored credentials readable.
 */
export function resolveSecrets(env: Env, options: { generateIfMissing: boolean }): InstallSecrets {
  if (env.AUTH_SECRET && env.ENCRYPTION_KEY) return { authSecret: env.AUTH_SECRET, encryptionKey: env.ENCRYPTION_KEY };
  const file = secretsFile(env);
  let stored = readSecretsFile(file);
  if (!stored && options.generateIfMissing) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const generated: InstallSecrets = { authSecret: randomBytes(32).toString("base64url"), encryptionKey: randomBytes(32).toString("base64url") };
    try {
      // `wx`: when two processes race, the first file wins and the second reads it.
      writeFileSync(file, JSON.stringify(generated), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    stored = readSecretsFile(file);
  }
  const authSecret = env.AUTH_SECRET ?? stored?.authSecret;
  const encryptionKey = env.ENCRYPTION_KEY ?? stored?.encryptionKey;
  const missing = [!authSecret && "AUTH_SECRET", !encryptionKey && "ENCRYPTION_KEY"].filter((name): name is string => !!name);
  if (missing.length > 0 || !authSecret || !encryptionKey) throw new MissingSecretsError(missing);
  return { authSecret, encryptionKey };
}
