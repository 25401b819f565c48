import { describe, expect, it } from "vitest";
import type { DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { executeCatalogChange } from "@/lib/data/catalog/execute-catalog-change";

const REPOSITORY_ID = "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a31";
const SERVICE_ID = "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a32";

/** A transaction in which the repository looked unbound, but its binding's insert hits the unique key. */
function racingTransaction(failure: unknown): DbTransaction {
  const fake = {
    repository: { findUnique: async () => ({ id: REPOSITORY_ID, fullName: "acme/api", integrationId: "i-1" }) },
    service: { findUnique: async () => ({ id: SERVICE_ID, slug: "api", name: "API" }) },
    serviceBinding: {
      findUnique: async () => null,
      upsert: async () => {
        throw failure;
      },
    },
  };
  return fake as unknown as DbTransaction;
}

describe("binding a repository someone else binds at the same moment", () => {
  const change = { kind: "bind-repository", repositoryId: REPOSITORY_ID, target: { type: "existing", serviceId: SERVICE_ID } } as const;
  const deps = { productionPattern: "^prod$", now: new Date("2026-11-27T12:00:00Z") };

  it("answers 409 CONFLICT in words instead of a database error", async () => {
    const unique = new Prisma.PrismaClientKnownRequestError("Unique constraint failed on the constraint: `ServiceBinding_kind_matchKey_pathPrefix_key`", { code: "P2002", clientVersion: "test" });
    await expect(executeCatalogChange(racingTransaction(unique), change, deps)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "acme/api was bound to a service by someone else at the same moment; reload the catalog and try again.",
    });
  });

  it("lets other database errors through unchanged", async () => {
    const other = new Error("connection lost");
    await expect(executeCatalogChange(racingTransaction(other), change, deps)).rejects.toBe(other);
  });
});
