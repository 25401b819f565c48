import path from "node:path";
import type { Role } from "@/lib/db/generated/enums";

/** An admin of one's own, created with the CLI as a real installation would (demo accounts may not add sources). */
export const OWNER = { email: "owner@pipeline-health.test", name: "Olive Owner", password: "owner-password-for-e2e" } as const;

/** Where the setup project keeps each account's signed-in browser state, inside the run's data folder. */
export function storageStatePath(account: Role | "OWNER"): string {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is set by playwright.config.ts");
  return path.join(dataDir, "e2e-auth", `${account.toLowerCase()}.json`);
}
