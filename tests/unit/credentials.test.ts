import { describe, expect, it } from "vitest";
import { CredentialsDecryptionError, decryptCredentials, encryptCredentials } from "@/lib/security/credentials";

const KEY = "k".repeat(16) + "0123456789abcdef0123";
const OTHER_KEY = "x".repeat(40);
const TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";

describe("integration credentials at rest", () => {
  it("round-trips and lays out iv (12) | tag (16) | ciphertext", () => {
    const stored = encryptCredentials({ token: TOKEN }, KEY);
    expect(stored.length).toBe(12 + 16 + Buffer.byteLength(JSON.stringify({ token: TOKEN })));
    expect(decryptCredentials(stored, KEY)).toEqual({ token: TOKEN });
  });

  it("never contains the token, and a fresh IV makes each encryption different", () => {
    const first = encryptCredentials({ token: TOKEN }, KEY);
    const second = encryptCredentials({ token: TOKEN }, KEY);
    for (const stored of [first, second]) {
      expect(stored.includes(Buffer.from(TOKEN))).toBe(false);
      expect(stored.toString("base64")).not.toContain(Buffer.from(TOKEN).toString("base64").slice(0, 12));
    }
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(0, 12).equals(second.subarray(0, 12))).toBe(false);
  });

  it("refuses a tampered ciphertext, tag or iv with a clear error", () => {
    const stored = encryptCredentials({ token: TOKEN }, KEY);
    for (const index of [0, 12, stored.length - 1]) {
      const tampered = Buffer.from(stored);
      tampered[index]! ^= 0x01;
      expect(() => decryptCredentials(tampered, KEY)).toThrow(CredentialsDecryptionError);
    }
    expect(() => decryptCredentials(stored.subarray(0, 20), KEY)).toThrow(CredentialsDecryptionError);
  });

  it("refuses the wrong key, naming ENCRYPTION_KEY", () => {
    const stored = encryptCredentials({ token: TOKEN }, KEY);
    expect(() => decryptCredentials(stored, OTHER_KEY)).toThrow(/ENCRYPTION_KEY is not the key they were saved with/);
  });

  it("refuses a key shorter than 32 characters", () => {
    expect(() => encryptCredentials({ token: TOKEN }, "short")).toThrow(/at least 32/);
  });
});
