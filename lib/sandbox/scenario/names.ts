import type { Random } from "./random";

/** Words for titles and messages; plausible enough that a demo reads like a real org. */

const VERBS = ["Add", "Fix", "Refactor", "Update", "Remove", "Improve", "Handle", "Support", "Simplify", "Speed up"] as const;

const SUBJECTS = [
  "retry logic for outbound webhooks",
  "pagination in the list endpoint",
  "timeout handling in the HTTP client",
  "metrics for queue depth",
  "validation of request payloads",
  "database connection pool settings",
  "structured logging fields",
  "cache invalidation on update",
  "feature flag checks",
  "error messages for bad input",
  "rate limiting per tenant",
  "health check endpoint",
  "OpenAPI description",
  "migration for the new index",
  "dependency versions",
  "flaky integration test",
  "tracing spans around external calls",
  "graceful shutdown",
  "config loading from the environment",
  "batch size of the nightly job",
  "idempotency keys on writes",
  "README setup steps",
  "null handling in the serializer",
  "CSV export",
  "audit events for admin actions",
] as const;

const FOLLOW_UP_MESSAGES = ["Address review comments", "Add tests", "Fix lint", "Rename per review", "Handle the empty case", "Update docs"] as const;

const DIRECT_PUSH_MESSAGES = [
  "Bump version",
  "Fix typo in README",
  "Update CODEOWNERS",
  "Tweak CI cache key",
  "Update changelog",
  "Raise log level for noisy warning",
] as const;

const INCIDENT_SYMPTOMS = [
  "Elevated 5xx rate",
  "Latency above SLO",
  "Requests timing out",
  "Error budget burn alert",
  "Queue backlog growing",
  "Spike in failed logins",
] as const;

const EXTERNAL_CAUSES = [
  "upstream provider outage",
  "cloud region network degradation",
  "expired third-party certificate",
  "DNS resolution failures at the provider",
  "database failover",
] as const;

export function pullRequestTitle(random: Random): string {
  return `${random.pick(VERBS)} ${random.pick(SUBJECTS)}`;
}

export function followUpMessage(random: Random): string {
  return random.pick(FOLLOW_UP_MESSAGES);
}

export function directPushMessage(random: Random): string {
  return random.pick(DIRECT_PUSH_MESSAGES);
}

export function hotfixTitle(random: Random): string {
  return `Hotfix: ${random.pick(["guard against", "stop", "roll forward fix for"])} ${random.pick(SUBJECTS)}`;
}

export function incidentSymptom(random: Random): string {
  return random.pick(INCIDENT_SYMPTOMS);
}

export function externalCause(random: Random): string {
  return random.pick(EXTERNAL_CAUSES);
}

/** `Fix pagination in the list endpoint` → `fix-pagination-in-the-list-endpoint`. */
export function kebab(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}
