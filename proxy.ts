import { type NextRequest, NextResponse } from "next/server";
import { STATIC_SECURITY_HEADERS, acceptRequestId, buildContentSecurityPolicy, generateNonce } from "@/lib/security/headers";
import { CLIENT_IP_HEADER, resolveClientIp } from "@/lib/security/client-ip";
import { getEnv } from "@/lib/env";
import { SESSION_COOKIE_SUFFIX } from "@/lib/auth/session-cookie";

/** Pages that need no session. API routes answer 401 themselves; pages are sent to sign-in. */
function isPublicPage(pathname: string): boolean {
  return pathname === "/sign-in" || pathname.startsWith("/api/") || pathname.startsWith("/_next/") || pathname === "/favicon.ico";
}

/**
 * Runs on every request: a per-request CSP nonce, the security headers and a request id; and a
 * page request without a session cookie goes straight to sign-in. Only the cookie's presence is
 * checked here; the layout and the data layer check the session itself.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!isPublicPage(pathname) && !hasSessionCookie(request)) {
    const target = new URL("/sign-in", request.url);
    if (pathname !== "/") target.searchParams.set("next", `${pathname}${search}`);
    return withSecurityHeaders(NextResponse.redirect(target), null, acceptRequestId(request.headers.get("x-request-id")));
  }
  const nonce = generateNonce();
  const csp = buildContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const requestId = acceptRequestId(request.headers.get("x-request-id"));

  const requestHeaders = new Headers(request.headers);
  // Next.js reads the nonce for its own scripts from the request's CSP header.
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("x-request-id", requestId);
  // Replaces whatever a client sent under this name: downstream code and sign-in's rate limit read only this.
  const clientIp = resolveClientIp(request.headers.get("x-forwarded-for"), getEnv().TRUSTED_PROXY_HOPS);
  if (clientIp) requestHeaders.set(CLIENT_IP_HEADER, clientIp);
  else requestHeaders.delete(CLIENT_IP_HEADER);
  // Layouts are not told the path; the root layout needs it to send a signed-out person back here after sign-in.
  requestHeaders.set("x-pathname", `${request.nextUrl.pathname}${request.nextUrl.search}`);

  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, requestId);
}

function withSecurityHeaders(response: NextResponse, csp: string | null, requestId: string): NextResponse {
  if (csp) response.headers.set("Content-Security-Policy", csp);
  response.headers.set("x-request-id", requestId);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

/** Better Auth's cookie, with or without the `__Secure-` prefix it adds on https. */
function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((cookie) => cookie.name.endsWith(SESSION_COOKIE_SUFFIX) && cookie.value !== "");
}

export const config = {
  // Static build assets are immutable files; they need no nonce and no per-request work.
  matcher: [{ source: "/((?!_next/static|_next/image).*)" }],
};
