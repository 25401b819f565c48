import type { HealthDto } from "@/lib/queries/health";
import type { BadgeTone } from "@/components/ui/badge";

export function databaseModeLabel(mode: HealthDto["database"]["mode"]): string {
  return mode === "embedded" ? "Embedded (PGlite)" : "External Postgres";
}

/** One tone + sentence for the database, shared by the shell footer and Settings. */
export function describeDatabase(health: HealthDto): { tone: BadgeTone; label: string } {
  if (!health.database.reachable) return { tone: "danger", label: "Database unreachable" };
  if (health.migrations.pending.length > 0) {
    const count = health.migrations.pending.length;
    return { tone: "warning", label: `${count} migration${count === 1 ? "" : "s"} pending` };
  }
  return { tone: "success", label: "Database connected" };
}

/**
 * UTC, fixed format: the server and the browser may sit in different time zones, and a
 * locale-dependent string would differ between the server render and hydration.
 */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
