import type { Clock } from "@/lib/clock";
import type { Role } from "@/lib/db/generated/enums";
import type { AuditActor } from "@/lib/audit/append-audit";
import { AppError } from "@/lib/errors";

export type Viewer =
  | { kind: "anonymous" }
  | { kind: "user"; userId: string; personId: string | null; role: Role; display: string }
  /** Jobs and the CLI, acting for the installation rather than for a person. */
  | { kind: "system"; display: string };

export interface ViewerContext {
  viewer: Viewer;
  requestId: string;
  /** Resolved through the trusted proxy; null when unknown. */
  clientIp: string | null;
  clock: Clock;
}

/**
 * What a role may do. One table, read by pages, route handlers and jobs alike. `PUBLIC` entries need
 * no session (a load balancer's health probe); everything else needs a signed-in person.
 */
export const PERMISSIONS = {
  "health:read": "PUBLIC",
  "system:read": ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"],
  "metrics:read": ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"],
  "audit:read": ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"],
  "sync:request": ["ENGINEER", "APPROVER", "ADMIN"],
  "sync:approve": ["APPROVER", "ADMIN"],
  "settings:manage": ["ADMIN"],
  /** Users, roles, sessions and person links. Reading them too: the list shows every user's e-mail. */
  "people:manage": ["ADMIN"],
} as const satisfies Record<string, readonly Role[] | "PUBLIC">;

export type Permission = keyof typeof PERMISSIONS;

export function can(viewer: Viewer, permission: Permission): boolean {
  const allowed: readonly Role[] | "PUBLIC" = PERMISSIONS[permission];
  if (allowed === "PUBLIC") return true;
  if (viewer.kind === "system") return true;
  if (viewer.kind === "anonymous") return false;
  return allowed.includes(viewer.role);
}

export function assertCan(ctx: ViewerContext, permission: Permission): void {
  if (!can(ctx.viewer, permission)) {
    throw new AppError(
      ctx.viewer.kind === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN",
      ctx.viewer.kind === "anonymous" ? "Sign in to continue." : `Your role may not do this (${permission}).`,
    );
  }
}

/** Who an audit event names for a change made in this context. */
export function actorOf(ctx: ViewerContext): AuditActor {
  const { viewer } = ctx;
  if (viewer.kind === "user") return { kind: "PERSON", id: viewer.userId, display: viewer.display, personId: viewer.personId };
  if (viewer.kind === "system") return { kind: "SYSTEM", display: viewer.display };
  return { kind: "ANONYMOUS", display: "anonymous" };
}

/** A context for jobs and the CLI, which act as the system rather than as a person. */
export function systemContext(clock: Clock, requestId: string = crypto.randomUUID(), display = "pipeline-health"): ViewerContext {
  return { viewer: { kind: "system", display }, requestId, clientIp: null, clock };
}
