import { getClock } from "@/lib/clock";
import { resolveDatabase } from "@/lib/cli/database";
import { createPrismaClient } from "@/lib/db/client";
import { linkPersons } from "@/lib/data/people/link-persons";
import { EnvError } from "@/lib/env";

/**
 * `people link`: runs the person-linking pass once over everything ingested (idempotent) and prints
 * what it did as JSON. Syncs run it too once it is wired into ingestion; this is for a first run or a check.
 */
export async function runPeople(args: string[]): Promise<number> {
  const [sub] = args;
  if (sub !== "link") throw new EnvError([`people: unknown subcommand ${JSON.stringify(sub ?? "")}; use \`people link\``]);
  const database = await resolveDatabase();
  const db = createPrismaClient(database.url, { poolMax: 2 });
  try {
    const result = await linkPersons(db, getClock());
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } finally {
    await db.$disconnect();
    await database.release();
  }
}
