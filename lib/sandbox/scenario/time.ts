import type { Random } from "./random";

/**
 * Scenario time is whole epoch seconds: GitHub sends whole seconds, and integers keep every
 * comparison exact (no millisecond that one object has and the next one lost in formatting).
 */
export type Seconds = number;

export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export function toSeconds(date: Date): Seconds {
  return Math.floor(date.getTime() / 1000);
}

/** ISO 8601 as GitHub writes it: `2026-05-01T10:20:30Z`. */
export function toIso(time: Seconds): string {
  return new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function startOfDay(time: Seconds): Seconds {
  return time - (((time % DAY) + DAY) % DAY);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(time: Seconds): number {
  return (Math.floor(time / DAY) + 4) % 7;
}

export function isWeekend(time: Seconds): boolean {
  const day = dayOfWeek(time);
  return day === 0 || day === 6;
}

/** Monday 00:00 UTC of the week holding `time`. */
export function startOfWeek(time: Seconds): Seconds {
  return startOfDay(time) - ((dayOfWeek(time) + 6) % 7) * DAY;
}

const WORK_START_HOUR = 8;
const WORK_END_HOUR = 19;

/**
 * Moves a time into working hours (weekdays 08:00–19:00 UTC), jittered so that people don't all
 * start at 08:00:00 sharp. Times already inside working hours are kept.
 */
export function intoWorkingHours(time: Seconds, random: Random): Seconds {
  let candidate = time;
  for (let guard = 0; guard < 8; guard++) {
    const hour = (candidate - startOfDay(candidate)) / HOUR;
    if (!isWeekend(candidate) && hour >= WORK_START_HOUR && hour < WORK_END_HOUR) return candidate;
    const nextMorning = hour < WORK_START_HOUR ? startOfDay(candidate) : startOfDay(candidate) + DAY;
    candidate = nextMorning + WORK_START_HOUR * HOUR + random.int(0, 90 * MINUTE);
  }
  return candidate;
}

/** Adds a random duration in [min, max] seconds, then lands in working hours. */
export function laterWorkingTime(from: Seconds, min: Seconds, max: Seconds, random: Random): Seconds {
  return intoWorkingHours(from + random.int(min, max), random);
}
