import { getEnv } from "@/lib/env";

/**
 * The one clock. Domain code asks `now()` instead of calling `new Date()`, so tests (and demos)
 * can freeze or move time, and the sandbox scenario and the app agree on what "now" is.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `instant`; `advance` moves it, for tests that step through time. */
export function frozenClock(instant: Date | string): Clock & { advance(ms: number): void; set(instant: Date | string): void } {
  let current = new Date(instant).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (next) => {
      current = new Date(next).getTime();
    },
  };
}

let active: Clock | undefined;

function defaultClock(): Clock {
  const frozenAt = getEnv().CLOCK_FROZEN_AT;
  return frozenAt ? frozenClock(frozenAt) : systemClock;
}

export function getClock(): Clock {
  active ??= defaultClock();
  return active;
}

export function now(): Date {
  return getClock().now();
}

/** Swap the clock (tests); returns a function that restores the previous one. */
export function setClock(clock: Clock): () => void {
  const previous = active;
  active = clock;
  return () => {
    active = previous;
  };
}
