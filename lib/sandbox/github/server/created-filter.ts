/**
 * GitHub's search date syntax, as the `created` filter of workflow runs takes it: `2024-05-01`,
 * `>=2024-05-01`, `>2024-05-01T10:00:00Z`, `<=…`, `<…`, `A..B`, `A..*`, `*..B`. A bare date means the
 * whole UTC day, so `<=2024-05-01` includes that day and `>2024-05-01` starts the next one.
 */
import { validationFailed } from "./http-error";

export interface TimeRange {
  /** Inclusive lower bound, epoch ms. */
  from: number;
  /** Inclusive upper bound, epoch ms. */
  to: number;
}

const DAY_MS = 86_400_000;

/** The first and last millisecond a date or date-time designates. */
function span(text: string): { start: number; end: number } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(start) ? null : { start, end: start + DAY_MS - 1 };
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : { start: at, end: at };
}

export function parseCreatedFilter(raw: string): TimeRange {
  const fail = () => validationFailed("created", raw, "created must use GitHub's date search syntax");
  const text = raw.trim();
  const range = /^(.+?)\.\.(.+)$/.exec(text);
  if (range) {
    const from = range[1] === "*" ? { start: -Infinity, end: -Infinity } : span(range[1]!);
    const to = range[2] === "*" ? { start: Infinity, end: Infinity } : span(range[2]!);
    if (!from || !to) throw fail();
    return { from: from.start, to: to.end };
  }
  const comparison = /^(>=|<=|>|<)?(.+)$/.exec(text);
  const bound = comparison ? span(comparison[2]!) : null;
  if (!comparison || !bound) throw fail();
  switch (comparison[1]) {
    case ">=":
      return { from: bound.start, to: Infinity };
    case ">":
      return { from: bound.end + 1, to: Infinity };
    case "<=":
      return { from: -Infinity, to: bound.end };
    case "<":
      return { from: -Infinity, to: bound.start - 1 };
    default:
      return { from: bound.start, to: bound.end };
  }
}
