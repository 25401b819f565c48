import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { getViewerContext } from "@/lib/data/context";
import type { ViewerContext } from "@/lib/data/viewer";
import { toErrorResponse } from "@/lib/errors";

interface HandlerArgs<Q> {
  request: NextRequest;
  ctx: ViewerContext;
  query: Q;
}

/**
 * The one wrapper for route handlers: builds the viewer context, validates the query string with
 * zod (a bad parameter is a 422 naming it), and maps every thrown error through `toErrorResponse`.
 * Handlers return a Response, or a value sent as JSON with status 200.
 */
export function routeHandler<S extends z.ZodType>(querySchema: S, handler: (args: HandlerArgs<z.infer<S>>) => Promise<Response | unknown>) {
  return async (request: NextRequest): Promise<Response> => {
    const ctx = await getViewerContext();
    try {
      const query = querySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
      const result = await handler({ request, ctx, query });
      const response = result instanceof Response ? result : NextResponse.json(result);
      response.headers.set("x-request-id", ctx.requestId);
      return response;
    } catch (error) {
      const { status, body } = toErrorResponse(error, ctx.requestId);
      return NextResponse.json(body, { status, headers: { "x-request-id": ctx.requestId } });
    }
  };
}
