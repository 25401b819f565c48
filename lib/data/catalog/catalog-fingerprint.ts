import { createHash } from "node:crypto";
import type { CatalogEffectDto } from "./catalog-types";

/** Stands in for ids the database generates while a change runs (preview rolls them back, apply makes new ones). */
const CREATED = "(created)";

/** Ids of rows the change itself creates: they differ between a preview and its apply, while the effect is the same. */
function createdIds(effect: CatalogEffectDto): Set<string> {
  switch (effect.kind) {
    case "bind-repository":
    case "bind-object":
      return new Set([effect.createdService ? effect.to.id : null, effect.createdTeam?.id ?? null].filter((id): id is string => id !== null));
    case "move-service":
      return new Set(effect.createdTeam ? [effect.createdTeam.id] : []);
    case "classify-environment":
      return new Set(effect.before === null ? [effect.after.id] : []);
    case "remove-environment-rule":
    case "unbind-object":
      return new Set();
    default: {
      const never: never = effect;
      throw new Error(`Unknown catalog effect ${JSON.stringify(never)}`);
    }
  }
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
function canonicalJson(value: unknown, created: Set<string>): string {
  if (typeof value === "string") return JSON.stringify(created.has(value) ? CREATED : value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, created)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, created)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stable fingerprint of what a catalog change does: SHA-256 of the canonical JSON of the effect
 * (created rows' ids left out). Preview hands it to the admin; Save sends it back and apply refuses
 * when re-running the change inside its transaction gives another one, so what is saved is
 * exactly what was previewed, never what a sync or another admin made of it in between.
 */
export function catalogEffectFingerprint(changed: boolean, effect: CatalogEffectDto): string {
  return createHash("sha256").update(canonicalJson({ changed, effect }, createdIds(effect))).digest("hex");
}
