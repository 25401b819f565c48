import { rmSync } from "node:fs";

/** The suite's product ran on a throwaway data folder; nothing of it should outlive the run. */
export default function globalTeardown(): void {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.includes("pipeline-health-e2e-")) rmSync(dir, { recursive: true, force: true });
}
