import { Prisma } from "@/lib/db/generated/client";
import { getEnv } from "@/lib/env";

/**
 * Day and week buckets in the organisation's time zone (`ORG_TIMEZONE`), computed in SQL so every
 * metric groups the same way. Weeks start on Monday (ISO), as Postgres's `date_trunc('week')` does.
 * Each returns the bucket's start as a local date (`date`), which is what people read on an axis.
 */
export type BucketUnit = "day" | "week";

export function bucketStartSql(column: Prisma.Sql, unit: BucketUnit, timeZone: string = getEnv().ORG_TIMEZONE): Prisma.Sql {
  // `timestamptz AT TIME ZONE zone` yields the wall-clock time there; truncating that is the local bucket.
  return Prisma.sql`(date_trunc(${unit}, ${column} AT TIME ZONE ${timeZone}))::date`;
}
