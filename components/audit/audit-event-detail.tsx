import type { AuditEventDto } from "@/lib/queries/audit";
import { actorKindLabels, formatAuditTime } from "./format-audit";

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-muted">none</span>;
  return <pre className="max-h-64 overflow-auto rounded bg-surface-sunken p-2 font-mono text-xs whitespace-pre-wrap break-all text-fg">{JSON.stringify(value, null, 2)}</pre>;
}

function Field({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-muted">{term}</dt>
      <dd className="mt-0.5 text-sm break-all text-fg">{children}</dd>
    </div>
  );
}

/** Everything an event records: before/after, who exactly, from where, and its place in the chain. */
export function AuditEventDetail({ event, timeZone }: { event: AuditEventDto; timeZone: string }) {
  return (
    <div className="grid gap-4 px-4 py-3 lg:grid-cols-[2fr_3fr]">
      <dl className="grid grid-cols-2 content-start gap-x-6 gap-y-3">
        <Field term="Occurred">{formatAuditTime(event.occurredAt, timeZone)}</Field>
        <Field term="Recorded">{formatAuditTime(event.recordedAt, timeZone)}</Field>
        <Field term="Actor">
          {actorKindLabels[event.actor.kind]}: {event.actor.display}
          {event.actor.id ? <span className="block font-mono text-xs text-muted">{event.actor.id}</span> : null}
          {event.actor.person ? <span className="block text-xs text-muted">Person: {event.actor.person.name}</span> : null}
        </Field>
        <Field term="Target">
          {event.target.type}
          <span className="block font-mono text-xs text-muted">{event.target.id}</span>
        </Field>
        <Field term="Request id">{event.requestId ? <span className="font-mono text-xs">{event.requestId}</span> : <span className="text-muted">none</span>}</Field>
        <Field term="Client IP">{event.clientIp ? <span className="font-mono text-xs">{event.clientIp}</span> : <span className="text-muted">none</span>}</Field>
        <div className="col-span-2">
          <Field term="Hash (SHA-256)">
            <span className="font-mono text-xs">{event.hash}</span>
          </Field>
        </div>
        <div className="col-span-2">
          <Field term="Previous hash">
            <span className="font-mono text-xs">{event.prevHash}</span>
          </Field>
        </div>
      </dl>
      <dl className="grid content-start gap-3 sm:grid-cols-2">
        <Field term="Before">
          <Json value={event.before} />
        </Field>
        <Field term="After">
          <Json value={event.after} />
        </Field>
        {event.metadata !== null ? (
          <div className="sm:col-span-2">
            <Field term="Metadata">
              <Json value={event.metadata} />
            </Field>
          </div>
        ) : null}
      </dl>
    </div>
  );
}
