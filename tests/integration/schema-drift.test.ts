import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffDatabaseToSchema } from "@/lib/db/schema-engine";
import { catalogSnapshot, diffSnapshots } from "./helpers/catalog-snapshot";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The hand-written migrations must build exactly the schema that `schema.prisma` describes.
 * The expected database is built from the DDL Prisma's own schema engine writes for the schema;
 * the actual one by our migration runner; their catalogs must agree line for line.
 */
/**
 * Indexes schema.prisma cannot express, written by hand in their migrations: the audit trail's
 * full-text expression index (20261202090000_audit_search) and the partial unique index allowing one
 * open sync request per app (20261202100000_sync_approval_execution). Each must exist, once.
 */
const HAND_WRITTEN_INDEXES = ["AuditEvent_search_idx", "SyncRequest_one_open_per_app"];
const handWritten = (line: string) => HAND_WRITTEN_INDEXES.some((name) => line.startsWith(`index ${name} `));

describe("migrations match schema.prisma", () => {
  let migrated: TestDatabase;
  let expected: TestDatabase;

  beforeAll(async () => {
    [migrated, expected] = await Promise.all([createTestDatabase(), createTestDatabase({ migrated: false })]);
    const script = await diffDatabaseToSchema(expected.url, { fromEmpty: true });
    expect(script).toContain("CREATE TABLE");
    const client = new pg.Client({ connectionString: expected.url });
    await client.connect();
    await client.query(script);
    await client.end();
  });

  afterAll(async () => {
    await Promise.all([migrated?.close(), expected?.close()]);
  });

  it("has every model, column, type, nullability, default, unique key, index and foreign key, and nothing else", async () => {
    const [want, have] = await Promise.all([catalogSnapshot(expected.url), catalogSnapshot(migrated.url)]);
    expect(want.length).toBeGreaterThan(200);
    expect(have.filter(handWritten).map((line) => line.split(" ")[1])).toEqual(HAND_WRITTEN_INDEXES);
    expect(diffSnapshots(want, have.filter((line) => !handWritten(line)))).toEqual([]);
  });

  it("notices a column that a migration lost", async () => {
    const client = new pg.Client({ connectionString: migrated.url });
    await client.connect();
    await client.query(`ALTER TABLE "Deployment" DROP COLUMN "configRevision"`);
    await client.end();
    const diff = diffSnapshots(await catalogSnapshot(expected.url), (await catalogSnapshot(migrated.url)).filter((line) => !handWritten(line)));
    expect(diff).toEqual([`- column Deployment.configRevision text null default=-`]);
  });
});
