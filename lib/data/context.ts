import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { type Clock, getClock } from "@/lib/clock";
import { getAuth } from "@/lib/auth/auth";
import type { Role } from "@/lib/db/generated/enums";
import type { Viewer, ViewerContext } from "@/lib/data/viewer";
import { CLIENT_IP_HEADER } from "@/lib/security/client-ip";
import { SESSION_COOKIE_SUFFIX } from "@/lib/auth/session-cookie";

export type { ViewerContext } from "@/lib/data/viewer";

const ROLES: readonly Role[] = ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"];

/**
 * Who is asking: the session cookie's user (Better Auth, sessions in Postgres), else anonymous.
 * When the session cannot be read (the database is down) the request is anonymous: it fails
 * closed, and the health probe, which needs no session, still answers.
 */
async function viewerFrom(requestHeaders: Headers): Promise<Viewer> {
  if (!(requestHeaders.get("cookie") ?? "").includes(`${SESSION_COOKIE_SUFFIX}=`)) return { kind: "anonymous" };
  try {
    const session = await getAuth().api.getSession({ headers: requestHeaders });
    if (!session) return { kind: "anonymous" };
    const { user } = session;
    const role = ROLES.find((candidate) => candidate === user.role);
    if (!role || user.disabled) return { kind: "anonymous" };
    return { kind: "user", userId: user.id, personId: user.personId ?? null, role, display: user.name || user.email };
  } catch {
    return { kind: "anonymous" };
  }
}

/**
 * One session lookup per request: a page's layout and each of its prefetches ask for the context,
 * and React's request-scoped `cache` lets them share the answer (outside a render it simply runs).
 */
const currentViewer = cache(async (): Promise<Viewer> => viewerFrom(await headers()));

/** The context every data-layer function takes, for the current request. */
export async function getViewerContext(clock: Clock = getClock()): Promise<ViewerContext> {
  const requestHeaders = await headers();
  return {
    viewer: await currentViewer(),
    requestId: requestHeaders.get("x-request-id") ?? crypto.randomUUID(),
    clientIp: requestHeaders.get(CLIENT_IP_HEADER),
    clock,
  };
}
