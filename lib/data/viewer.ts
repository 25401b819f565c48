import type { Clock } from "@/lib/clock";
import type { Role } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";

export type Viewer = { kind: "anonymous"; role: "VIEWER" } | { kind: "user"; userId: string; personId: string | null; role: Role };

export interface ViewerContext {
  viewer: Viewer;
  requestId: string;
  /** Resolved through the trusted proxy; null when unknown. */
  clientIp: string | null;
  clock: Clock;
}

/** What a role may do. One table, read by pages, route handlers and jobs alike. */
export const PERMISSIONS = {
  "system:read": ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"],
  "metrics:read": ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"],
  "audit:read": ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"],
  "sync:request": ["ENGINEER", "APPROVER", "ADMIN"],
  "sync:approve": ["APPROVER", "ADMIN"],
  "settings:manage": ["ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(viewer: Viewer, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(viewer.role);
}

export function assertCan(ctx: ViewerContext, permission: Permission): void {
  if (!can(ctx.viewer, permission)) {
    throw new AppError(ctx.viewer.kind === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN", `Not allowed: ${permission}`);
  }
}

/** A context for jobs and the CLI, which act as the system rather than as a person. */
export function systemContext(clock: Clock, requestId: string = crypto.randomUUID()): ViewerContext {
  return { viewer: { kind: "user", userId: "system", personId: null, role: "ADMIN" }, requestId, clientIp: null, clock };
}
