import { AppError } from "@/lib/errors";

/**
 * A cross-site form or script cannot send `application/json` without a preflight, and a browser
 * always names the page's origin on a POST; together they stop CSRF without tokens. A request with
 * no Origin at all (curl, scripts) is accepted: it carries no ambient browser cookies worth forging.
 */
export function assertSameOriginJson(request: Request): void {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
  }
  // Browsers label every request with where it came from; only our own pages may change things.
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw new AppError("FORBIDDEN", "Cross-origin requests may not change anything here.");
  }
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== host) throw new AppError("FORBIDDEN", "Cross-origin requests may not change anything here.");
  }
}
