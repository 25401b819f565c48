import { type NextRequest, NextResponse } from "next/server";
import { STATIC_SECURITY_HEADERS, acceptRequestId, buildContentSecurityPolicy, generateNonce } from "@/lib/security/headers";

/** Runs on every request: a per-request CSP nonce, the security headers and a request id. */
export function proxy(request: NextRequest) {
  const nonce = generateNonce();
  const csp = buildContentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  const requestId = acceptRequestId(request.headers.get("x-request-id"));

  const requestHeaders = new Headers(request.headers);
  // Next.js reads the nonce for its own scripts from the request's CSP header.
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("x-request-id", requestId);
  // Layouts are not told the path; the root layout needs it to send a signed-out person back here after sign-in.
  requestHeaders.set("x-pathname", `${request.nextUrl.pathname}${request.nextUrl.search}`);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("x-request-id", requestId);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static build assets are immutable files; they need no nonce and no per-request work.
  matcher: [{ source: "/((?!_next/static|_next/image).*)" }],
};
