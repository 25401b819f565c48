import type { Db, DbTransaction } from "@/lib/db/client";
import type { DeploymentRecord } from "@/lib/ingest/records";

/**
 * How a source's environment name becomes an environment (DESIGN §2): admin rules first, then the
 * `PRODUCTION_ENVIRONMENTS` pattern, else non-production under its own name. Classification is pure,
 * so ingestion (through the source transforms) and the catalog's re-classification of stored rows
 * give the same answer for the same name.
 */

/** The `matchOn` of rules that look at the environment name a source reports. */
export const NAME_RULE = "name";

/** Sources whose ingestion classifies environment names with these rules (GitOps sources will add namespace rules). */
export const NAME_CLASSIFIED_SOURCES = ["GITHUB_DEPLOYMENT", "GITHUB_WORKFLOW"] as const;

/** A deployment record after classification, still carrying the name its source reported. */
export type ClassifiedDeploymentRecord = DeploymentRecord & { sourceEnvironment: string };

export interface EnvironmentNameRule {
  id: string;
  /** A regular expression over the whole source name; admin rules from Settings are `^<escaped name>$`. */
  pattern: string;
  /** The environment to record; empty keeps the source's name. */
  environment: string;
  isProduction: boolean;
  priority: number;
}

export interface EnvironmentRules {
  /** `PRODUCTION_ENVIRONMENTS`: environment names that count as production when no rule matches. */
  production: RegExp;
  /** Admin rules, already in the order they are tried (lowest priority number first). */
  rules?: readonly CompiledEnvironmentRule[];
}

/** Identifies a rule set, so a sync can tell whether the rules changed since it loaded them. */
export function environmentRulesFingerprint(rules: EnvironmentRules): string {
  return JSON.stringify([rules.production.source, ...(rules.rules ?? []).map((rule) => [rule.id, rule.pattern, rule.environment, rule.isProduction, rule.priority])]);
}

/** A record classified again under other rules, from the name its source reported. */
export function reclassifyRecord(record: ClassifiedDeploymentRecord, rules: EnvironmentRules): ClassifiedDeploymentRecord {
  const classified = classifyEnvironment(record.sourceEnvironment, rules);
  return { ...record, environment: classified.environment, isProduction: classified.isProduction };
}

export interface CompiledEnvironmentRule extends EnvironmentNameRule {
  regex: RegExp;
}

export type ClassifiedBy = "rule" | "production-pattern" | "default";

export interface EnvironmentClassification {
  environment: string;
  isProduction: boolean;
  by: ClassifiedBy;
  /** The rule that decided, when `by` is "rule". */
  ruleId: string | null;
}

/** The first matching rule decides; without one, the production pattern; without that, non-production. */
export function classifyEnvironment(sourceName: string, rules: EnvironmentRules): EnvironmentClassification {
  const rule = rules.rules?.find((candidate) => candidate.regex.test(sourceName));
  if (rule) return { environment: rule.environment || sourceName, isProduction: rule.isProduction, by: "rule", ruleId: rule.id };
  if (rules.production.test(sourceName)) return { environment: sourceName, isProduction: true, by: "production-pattern", ruleId: null };
  return { environment: sourceName, isProduction: false, by: "default", ruleId: null };
}

/** The pattern of a rule about exactly one name, as Settings writes it. */
export function exactNamePattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

/** The one name a pattern stands for, when it is an exact-name pattern; null for any other regex. */
export function exactNameOf(pattern: string): string | null {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.length < 3) return null;
  const name = pattern.slice(1, -1).replace(/\\(.)/g, "$1");
  return exactNamePattern(name) === pattern ? name : null;
}

/**
 * Orders and compiles rules. A stored pattern that no longer compiles is left out rather than
 * failing every sync; `invalid` names them so Settings can show them.
 */
export function compileEnvironmentRules(production: RegExp, stored: readonly EnvironmentNameRule[]): EnvironmentRules & { rules: CompiledEnvironmentRule[]; invalid: EnvironmentNameRule[] } {
  const ordered = [...stored].sort((a, b) => a.priority - b.priority || a.pattern.localeCompare(b.pattern) || a.id.localeCompare(b.id));
  const rules: CompiledEnvironmentRule[] = [];
  const invalid: EnvironmentNameRule[] = [];
  for (const rule of ordered) {
    try {
      rules.push({ ...rule, regex: new RegExp(rule.pattern) });
    } catch {
      invalid.push(rule);
    }
  }
  return { production, rules, invalid };
}

/**
 * Reads the name rules (a handful of rows): once per sync for the transforms, again in each of the
 * sync's write transactions under the catalog lock (so a rule saved mid-run holds for the rest of
 * it), and inside each catalog change.
 */
export async function loadEnvironmentRules(db: Db | DbTransaction, productionPattern: string) {
  const stored = await db.environmentRule.findMany({
    where: { matchOn: NAME_RULE },
    select: { id: true, pattern: true, environment: true, isProduction: true, priority: true },
  });
  return compileEnvironmentRules(new RegExp(productionPattern), stored);
}
