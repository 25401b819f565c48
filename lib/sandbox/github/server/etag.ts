/**
 * Weak ETags over the exact body bytes, so any change in what a client would see changes the tag,
 * and nothing else does (the clock moving without new data keeps it stable: a second sync of an
 * unchanged org gets only 304s, as on GitHub).
 */
import { createHash } from "node:crypto";

export function etagFor(body: string): string {
  return `W/"${createHash("sha256").update(body).digest("hex").slice(0, 40)}"`;
}

/** `If-None-Match` uses weak comparison and may list several tags or `*`. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return header.split(",").some((candidate) => candidate.trim() === "*" || opaque(candidate) === wanted);
}
