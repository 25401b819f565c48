/**
 * The live-vs-desired diff of one Kubernetes object, as lines a person reads: both documents are
 * printed as YAML (keys sorted, so key order never shows as a change) and compared line by line.
 * Pure, so unit and integration tests call it without a database.
 */
import type { DiffLineDto } from "@/lib/queries/drift";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Fields the cluster writes on its own. Argo CD's diff ignores them too; left in, every live object
 * would differ from Git in status, resourceVersion and managedFields, hiding the real change.
 */
const SERVER_SET_METADATA = ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"];
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of a manifest without `status` and server-set metadata. */
export function normalizeManifest(value: Json): Json {
  if (!isObject(value)) return value;
  const { status: _status, ...rest } = value;
  const metadata = rest.metadata;
  if (isObject(metadata)) {
    const kept = Object.fromEntries(Object.entries(metadata).filter(([key]) => !SERVER_SET_METADATA.includes(key)));
    if (isObject(kept.annotations)) {
      const annotations = Object.fromEntries(Object.entries(kept.annotations).filter(([key]) => key !== LAST_APPLIED));
      if (Object.keys(annotations).length > 0) kept.annotations = annotations;
      else delete kept.annotations;
    }
    rest.metadata = kept;
  }
  return rest;
}

const PLAIN = /^[A-Za-z0-9_./@-][A-Za-z0-9_./@:, =+-]*$/;
const AMBIGUOUS = /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?)$/i;

/** A string as YAML writes it: bare when it cannot be misread, else JSON-quoted (valid YAML). */
function scalar(value: string | number | boolean | null): string {
  if (typeof value !== "string") return String(value);
  if (value !== "" && PLAIN.test(value) && !AMBIGUOUS.test(value) && !value.endsWith(" ") && !value.includes(": ")) return value;
  return JSON.stringify(value);
}

function key(name: string): string {
  return PLAIN.test(name) && !name.includes(": ") ? name : JSON.stringify(name);
}

function isEmptyCollection(value: Json): boolean {
  return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function inline(value: Json): string {
  if (Array.isArray(value)) return "[]";
  if (isObject(value)) return "{}";
  return scalar(value);
}

/** YAML lines of a JSON value, block style, keys sorted. */
export function toYamlLines(value: Json, indent = ""): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item) => {
      if (!isEmptyCollection(item) && (Array.isArray(item) || isObject(item))) {
        const nested = toYamlLines(item, `${indent}  `);
        // The first line of a nested block takes the dash's place.
        return [`${indent}- ${nested[0]!.trimStart()}`, ...nested.slice(1)];
      }
      return [`${indent}- ${inline(item)}`];
    });
  }
  if (isObject(value)) {
    const names = Object.keys(value).sort();
    if (names.length === 0) return [`${indent}{}`];
    return names.flatMap((name) => {
      const item = value[name]!;
      if (isEmptyCollection(item) || !(Array.isArray(item) || isObject(item))) return [`${indent}${key(name)}: ${inline(item)}`];
      return [`${indent}${key(name)}:`, ...toYamlLines(item, `${indent}  `)];
    });
  }
  return [`${indent}${scalar(value)}`];
}

/** Above this many lines per side the LCS table would be too large; the diff then replaces one document by the other. */
const MAX_DIFF_LINES = 4000;
/** Unchanged lines kept around each change. */
const CONTEXT = 3;

/** Line diff by longest common subsequence: `remove` = only in `before`, `add` = only in `after`. */
export function lineDiff(before: string[], after: string[]): { op: "same" | "add" | "remove"; text: string }[] {
  if (before.length > MAX_DIFF_LINES || after.length > MAX_DIFF_LINES) {
    return [...before.map((text) => ({ op: "remove" as const, text })), ...after.map((text) => ({ op: "add" as const, text }))];
  }
  const n = before.length;
  const m = after.length;
  // lengths[i][j]: LCS of before[i..] and after[j..], in one flat array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = before[i] === after[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const lines: { op: "same" | "add" | "remove"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      lines.push({ op: "same", text: before[i]! });
      i += 1;
      j += 1;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      lines.push({ op: "remove", text: before[i]! });
      i += 1;
    } else {
      lines.push({ op: "add", text: after[j]! });
      j += 1;
    }
  }
  for (; i < n; i += 1) lines.push({ op: "remove", text: before[i]! });
  for (; j < m; j += 1) lines.push({ op: "add", text: after[j]! });
  return lines;
}

/** Leaves out unchanged runs longer than the context around changes, as `skip` markers. */
export function collapseUnchanged(lines: { op: "same" | "add" | "remove"; text: string }[], context = CONTEXT): DiffLineDto[] {
  const changed = lines.map((line) => line.op !== "same");
  const keep = lines.map((_, index) => {
    for (let offset = -context; offset <= context; offset += 1) if (changed[index + offset]) return true;
    return false;
  });
  const out: DiffLineDto[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (keep[index]) {
      if (skipped > 0) out.push({ op: "skip", count: skipped });
      skipped = 0;
      out.push(line);
    } else skipped += 1;
  });
  if (skipped > 0) out.push({ op: "skip", count: skipped });
  return out;
}

/** Parses an Argo CD state string ("null", "", or a JSON object); anything unparsable is kept as text. */
function parseState(state: string | null | undefined): { present: boolean; value: Json } {
  if (state === null || state === undefined || state.trim() === "" || state.trim() === "null") return { present: false, value: null };
  try {
    return { present: true, value: JSON.parse(state) as Json };
  } catch {
    return { present: true, value: state };
  }
}

/**
 * The diff of Argo CD's `liveState` (in the cluster) against `targetState` (rendered from Git):
 * `−` lines are live only, `+` lines desired only, so the diff reads as what a sync would change.
 * Null when neither document was given.
 */
export function manifestDiff(liveState: string | null | undefined, targetState: string | null | undefined): {
  lines: DiffLineDto[];
  added: number;
  removed: number;
  note: string | null;
} | null {
  const live = parseState(liveState);
  const desired = parseState(targetState);
  if (!live.present && !desired.present) return null;
  const before = live.present ? toYamlLines(normalizeManifest(live.value)) : [];
  const after = desired.present ? toYamlLines(normalizeManifest(desired.value)) : [];
  const lines = lineDiff(before, after);
  return {
    lines: collapseUnchanged(lines),
    added: lines.filter((line) => line.op === "add").length,
    removed: lines.filter((line) => line.op === "remove").length,
    note: !live.present ? "Missing from the cluster: a sync would create it." : !desired.present ? "Not in Git any more: a sync with pruning would delete it." : null,
  };
}
