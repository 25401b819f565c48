import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getViewerContext } from "@/lib/data/context";
import type { ViewerContext } from "@/lib/data/viewer";
import { AppError, toErrorResponse } from "@/lib/errors";
import { assertSameOriginJson } from "@/lib/security/same-origin";

interface HandlerArgs<Q> {
  request: NextRequest;
  ctx: ViewerContext;
  query: Q;
}

interface MutationArgs<B, P> {
  request: NextRequest;
  ctx: ViewerContext;
  body: B;
  params: P;
}

/** What Next passes as the second argument of a route handler in a dynamic segment. */
interface RouteContext {
  params?: Promise<Record<string, string | string[]>>;
}

/** Bodies of dashboard mutations are small JSON documents; anything larger is refused unread. */
const MUTATION_BODY_LIMIT_BYTES = 64 * 1024;

function respond(result: unknown, ctx: ViewerContext): Response {
  const response = result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
  response.headers.set("x-request-id", ctx.requestId);
  return response;
}

function respondWithError(error: unknown, ctx: ViewerContext): Response {
  const { status, body } = toErrorResponse(error, ctx.requestId);
  return NextResponse.json(body, { status, headers: { "x-request-id": ctx.requestId } });
}

/**
 * The one wrapper for reading route handlers: builds the viewer context, validates the query string
 * with zod (a bad parameter is a 422 naming it), and maps every thrown error through `toErrorResponse`.
 * Handlers return a Response, or a value sent as JSON with status 200.
 */
export function routeHandler<S extends z.ZodType>(
  querySchema: S,
  handler: (args: HandlerArgs<z.infer<S>>) => Promise<Response | unknown>,
  options: { allowAnonymous?: boolean } = {},
) {
  return async (request: NextRequest): Promise<Response> => {
    const ctx = await getViewerContext();
    try {
      if (!options.allowAnonymous) assertSignedIn(ctx);
      const query = querySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
      return respond(await handler({ request, ctx, query }), ctx);
    } catch (error) {
      return respondWithError(error, ctx);
    }
  };
}

/**
 * Without a session the answer is 401 before anything else is looked at, so a caller learns nothing
 * about parameters or bodies; what a signed-in role may do is decided in the data layer.
 */
function assertSignedIn(ctx: ViewerContext): void {
  if (ctx.viewer.kind === "anonymous") throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
}

async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MUTATION_BODY_LIMIT_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MUTATION_BODY_LIMIT_BYTES} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MUTATION_BODY_LIMIT_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MUTATION_BODY_LIMIT_BYTES} bytes.`);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}

/**
 * The one wrapper for changing route handlers (POST, PUT, PATCH, DELETE): same-origin JSON only,
 * the body and the route parameters validated with zod (422 naming each problem), errors mapped by
 * `toErrorResponse`. Authorization stays in the data layer, which every handler calls.
 */
export function mutationHandler<B extends z.ZodType, P extends z.ZodType = z.ZodObject<Record<string, never>>>(
  schemas: { body: B; params?: P },
  handler: (args: MutationArgs<z.infer<B>, z.infer<P>>) => Promise<Response | unknown>,
) {
  return async (request: NextRequest, route?: RouteContext): Promise<Response> => {
    const ctx = await getViewerContext();
    try {
      assertSignedIn(ctx);
      assertSameOriginJson(request);
      const params = (schemas.params ?? z.object({})).parse((await route?.params) ?? {}) as z.infer<P>;
      const body = schemas.body.parse(await readJsonBody(request));
      return respond(await handler({ request, ctx, body, params }), ctx);
    } catch (error) {
      return respondWithError(error, ctx);
    }
  };
}
