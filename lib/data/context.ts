import "server-only";
import { headers } from "next/headers";
import { type Clock, getClock } from "@/lib/clock";
import type { ViewerContext } from "@/lib/data/viewer";

export type { ViewerContext } from "@/lib/data/viewer";

/**
 * The context every data-layer function takes. Until sign-in exists (a later issue) every request is
 * an anonymous viewer; authorization already goes through `assertCan`, so adding sessions changes
 * this function and nothing downstream.
 */
export async function getViewerContext(clock: Clock = getClock()): Promise<ViewerContext> {
  const requestHeaders = await headers();
  return {
    viewer: { kind: "anonymous", role: "VIEWER" },
    requestId: requestHeaders.get("x-request-id") ?? crypto.randomUUID(),
    clientIp: null,
    clock,
  };
}
