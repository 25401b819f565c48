"use client";

import { useSyncExternalStore } from "react";

/**
 * The current time for relative labels ("3 min ago"), ticking every 15 s. The server snapshot is
 * null: the server and the browser never agree on "now", so relative text appears only after
 * hydration and the first render shows absolute times instead of causing a mismatch.
 */
const TICK_MS = 15_000;
let now: number | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
      now = null;
    }
  };
}

function getSnapshot(): number {
  now ??= Date.now();
  return now;
}

function getServerSnapshot(): number | null {
  return null;
}

export function useNow(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
