import { z } from "zod";

const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** An error answer of our API, with the message the server chose to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * Browser fetcher for our JSON API: parses the answer with `schema`, and turns an error answer into
 * an `ApiError` carrying the server's own message, so error states can show it.
 */
export async function apiFetch<T>(
  url: string,
  schema: z.ZodType<T>,
  init: { method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown; signal?: AbortSignal; what?: string } = {},
): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    signal: init.signal,
    cache: "no-store",
    headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    if (parsed.success) throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiError(response.status, "HTTP", `${init.what ?? "The request"} failed (HTTP ${response.status})`);
  }
  return schema.parse(body);
}
