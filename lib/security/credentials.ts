import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Integration credentials at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY, stored as
 * one value `iv (12) | tag (16) | ciphertext`, the layout the `credentialsEncrypted` column documents.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * HKDF's info label: the same ENCRYPTION_KEY may one day key something else, and a distinct label
 * keeps those keys independent. Changing it makes every stored credential unreadable.
 */
const KEY_INFO = "pipeline-health/integration-credentials/v1";
/** A fixed salt: the input is already a high-entropy secret, so HKDF only needs to expand it. */
const KEY_SALT = Buffer.alloc(32, 0);

/** A small JSON object of secrets, e.g. `{ token }`. */
export type Credentials = Record<string, string>;

export class CredentialsDecryptionError extends Error {
  constructor() {
    super(
      "Stored credentials could not be decrypted: ENCRYPTION_KEY is not the key they were saved with, or the stored value is damaged. " +
        "Restore the original ENCRYPTION_KEY, or remove the integration and add it again.",
    );
    this.name = "CredentialsDecryptionError";
  }
}

function deriveKey(encryptionKey: string): Buffer {
  if (encryptionKey.length < 32) throw new Error("ENCRYPTION_KEY must be at least 32 characters.");
  return Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKey, "utf8"), KEY_SALT, KEY_INFO, 32));
}

/** Encrypts credentials with a fresh random IV, so equal inputs never give equal outputs. */
export function encryptCredentials(credentials: Credentials, encryptionKey: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(encryptionKey), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts what `encryptCredentials` wrote; a wrong key or any changed byte fails authentication. */
export function decryptCredentials(stored: Uint8Array, encryptionKey: string): Credentials {
  const bytes = Buffer.from(stored);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new CredentialsDecryptionError();
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(encryptionKey), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialsDecryptionError();
  }
  const parsed: unknown = JSON.parse(plaintext);
  if (typeof parsed !== "object" || parsed === null || Object.values(parsed).some((value) => typeof value !== "string")) {
    throw new CredentialsDecryptionError();
  }
  return parsed as Credentials;
}
