import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";

const ANCHOR_KEY = "sandbox.anchor";

/**
 * The instant the sandbox history is anchored to, fixed the first time the sandbox runs against a
 * database: a restart serves the same org, instead of a history shifted to the new "now".
 */
export async function getSandboxAnchor(db: Db, clock: Clock): Promise<Date> {
  const stored = await db.setting.findUnique({ where: { key: ANCHOR_KEY } });
  if (stored && typeof stored.value === "string") return new Date(stored.value);
  const anchor = clock.now();
  await db.setting.upsert({ where: { key: ANCHOR_KEY }, create: { key: ANCHOR_KEY, value: anchor.toISOString() }, update: {} });
  const kept = await db.setting.findUniqueOrThrow({ where: { key: ANCHOR_KEY } });
  return new Date(kept.value as string);
}
