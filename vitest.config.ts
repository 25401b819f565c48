import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside Next's server build; tests import the data layer directly.
  "server-only": path.resolve(import.meta.dirname, "tests/fixtures/server-only.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 } } },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // Unit tests run first (group 0); integration files follow with their own worker limit.
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // Each file makes its own database; two at a time suits a 2-core machine.
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
