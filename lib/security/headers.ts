/**
 * Content-Security-Policy and the other security headers, sent on every response by proxy.ts.
 *
 * Scripts: a fresh nonce per request with 'strict-dynamic' (Next.js adds the nonce to its own
 * scripts when it finds it in the request's CSP header). That makes every page dynamic, which a
 * dashboard of live data is anyway.
 * Styles: 'unsafe-inline' for style-src. Recharts and Radix position elements with inline style
 * attributes, which nonces cannot cover; CSS injection is far weaker than script injection, and
 * script-src stays strict. Development adds 'unsafe-eval' only because React's dev tooling needs it.
 */
export function buildContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/** Headers that never vary by request. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export function generateNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps an upstream request id only when it is a plain token; anything else could inject into logs. */
export function acceptRequestId(candidate: string | null): string {
  return candidate && REQUEST_ID.test(candidate) ? candidate : crypto.randomUUID();
}
