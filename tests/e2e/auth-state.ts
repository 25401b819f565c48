import path from "node:path";
import type { Role } from "@/lib/db/generated/enums";

/** Where the setup project keeps each role's signed-in browser state, inside the run's data folder. */
export function storageStatePath(role: Role): string {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is set by playwright.config.ts");
  return path.join(dataDir, "e2e-auth", `${role.toLowerCase()}.json`);
}
