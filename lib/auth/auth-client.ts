import { createAuthClient } from "better-auth/client";

/** The browser half of Better Auth; it talks to /api/auth on the page's own origin. */
export const authClient = createAuthClient({ basePath: "/api/auth" });
