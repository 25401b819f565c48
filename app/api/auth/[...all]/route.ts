// /api/auth/* — Better Auth's endpoints (sign-in, sign-out, session). Refused sign-ins are audited.
import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/lib/auth/auth";
import { getViewerContext } from "@/lib/data/context";
import { recordSignInFailure } from "@/lib/data/auth/record-sign-in-failure";

export const dynamic = "force-dynamic";

const handle = (request: Request) => getAuth().handler(request);
const handlers = toNextJsHandler(handle);

export const GET = handlers.GET;

/** What every refused sign-in answers, so the answer never tells a disabled account from a wrong password. */
const REFUSED = { message: "Invalid email or password", code: "INVALID_EMAIL_OR_PASSWORD" };

export async function POST(request: Request): Promise<Response> {
  const isSignIn = new URL(request.url).pathname.endsWith("/sign-in/email");
  const attempt = isSignIn ? await request.clone().json().catch(() => null) : null;
  const response = await handlers.POST(request);
  if (!isSignIn || (response.status !== 401 && response.status !== 403)) return response;
  const email = typeof attempt?.email === "string" ? attempt.email.slice(0, 320).toLowerCase() : null;
  // Auditing must not turn a refused sign-in into a server error.
  await recordSignInFailure(await getViewerContext(), { email, status: response.status }).catch((error: unknown) => console.error("[pipeline-health] could not audit a failed sign-in:", error));
  // A disabled account with the right password is refused by the session hook with its own code; answer as for any refusal.
  return Response.json(REFUSED, { status: 401, headers: { "cache-control": "no-store" } });
}
