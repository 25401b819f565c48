import { TZDate } from "@date-fns/tz";
import { addDays, format, startOfDay } from "date-fns";

/**
 * Calendar days in the organisation's zone (`ORG_TIMEZONE`), DST-aware: a local day is 23, 24 or 25
 * hours long, so day arithmetic is done on the zone's calendar, never by adding 24 h.
 */

/** The instant the local day containing `instant` starts. */
export function startOfLocalDay(instant: Date, timeZone: string): Date {
  return new Date(startOfDay(new TZDate(instant.getTime(), timeZone)).getTime());
}

/** The same local time of day `days` calendar days later (negative: earlier). */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  return new Date(addDays(new TZDate(instant.getTime(), timeZone), days).getTime());
}

/** `YYYY-MM-DD` of the local day containing `instant`. */
export function localDayOf(instant: Date, timeZone: string): string {
  return format(new TZDate(instant.getTime(), timeZone), "yyyy-MM-dd");
}

/** Whether `instant` is the start of a local day. */
export function isLocalDayStart(instant: Date, timeZone: string): boolean {
  return startOfLocalDay(instant, timeZone).getTime() === instant.getTime();
}
