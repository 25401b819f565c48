/**
 * What every handler and serializer gets: the org as it stands, the instant "now" (from the injected
 * clock, fixed for the whole request so one response never mixes two instants), and where URLs point.
 */
import type { SandboxOrg, SandboxRepository, SandboxUser } from "../model";
import { notFound } from "./http-error";

export interface ApiContext {
  org: SandboxOrg;
  now: Date;
  /** API base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  apiBase: string;
  /** Web base URL for `html_url` fields, e.g. `https://github.com`. */
  htmlBase: string;
  /** The user the request's token belongs to. */
  viewer: SandboxUser;
  /** Users by login, built once per request. */
  users: ReadonlyMap<string, SandboxUser>;
  /** Per-request memo for values many items of one page share (the repository embedded in every PR). */
  memo: Map<string, unknown>;
}

export function memo<T>(ctx: ApiContext, key: string, compute: () => T): T {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = compute();
  ctx.memo.set(key, value);
  return value;
}

export function buildUserIndex(org: SandboxOrg): Map<string, SandboxUser> {
  return new Map(org.users.map((user) => [user.login.toLowerCase(), user]));
}

/** True when something stamped `iso` exists at `now` (creation times after now are the future). */
export function existsAt(iso: string, now: Date): boolean {
  return Date.parse(iso) <= now.getTime();
}

/** `iso` if it has happened by `now`, else null (e.g. a close that is still in the future). */
export function pastOrNull(iso: string | null, now: Date): string | null {
  return iso !== null && existsAt(iso, now) ? iso : null;
}

/** The latest of the given instants that have happened by `now`; `fallback` if none has. */
export function latestPast(now: Date, fallback: string, ...instants: Array<string | null | undefined>): string {
  let latest = fallback;
  for (const instant of instants) {
    if (instant && existsAt(instant, now) && Date.parse(instant) > Date.parse(latest)) latest = instant;
  }
  return latest;
}

/** Repository lookup by owner and name, case-insensitive as on GitHub; 404 for other owners or future repos. */
export function findRepository(ctx: ApiContext, owner: string, name: string): SandboxRepository {
  if (owner.toLowerCase() !== ctx.org.login.toLowerCase()) throw notFound();
  const lower = name.toLowerCase();
  const repo = ctx.org.repositories.find((candidate) => candidate.name.toLowerCase() === lower);
  if (!repo || !existsAt(repo.createdAt, ctx.now)) throw notFound();
  return repo;
}

export function repositoriesAt(ctx: ApiContext): SandboxRepository[] {
  return ctx.org.repositories.filter((repo) => existsAt(repo.createdAt, ctx.now));
}

/** Integers in a path (`pull_number`, `deployment_id`): anything else is a route GitHub would not match. */
export function pathInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw notFound();
  return Number.parseInt(value, 10);
}
