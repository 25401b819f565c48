"use client";

import Link from "next/link";
import { clsx } from "clsx";
import type { SyncRequestDto } from "@/lib/queries/approvals";
import { Badge } from "@/components/ui/badge";
import { useNow } from "@/components/settings/use-now";
import { ExecutionProgress } from "./execution-progress";
import { RequestActions } from "./request-actions";
import { RevisionCode } from "./revision-code";
import { describeAge, describeApprovalCount, describeDeadline, formatInstant, requestAnchorId, shortRevision, statusStyles } from "./format-approvals";

/** "3 min ago" once the browser knows the time; the absolute UTC instant before (no hydration mismatch). */
function When({ iso, mode }: { iso: string; mode: "age" | "deadline" }) {
  const now = useNow();
  const text = now === null ? formatInstant(iso) : mode === "age" ? describeAge(iso, now) : describeDeadline(iso, now);
  return (
    <time dateTime={iso} title={formatInstant(iso)}>
      {text}
    </time>
  );
}

function Approvals({ request }: { request: SyncRequestDto }) {
  return (
    <div className="flex flex-col gap-1.5">
      <p className="text-sm text-fg" data-testid="approval-count">
        <span className="font-medium">{describeApprovalCount(request)}</span>
        {request.isProduction && request.requiredApprovals > 1 ? <span className="text-muted"> (production needs {request.requiredApprovals})</span> : null}
      </p>
      {request.approvals.length > 0 ? (
        <ul className="flex flex-col gap-1 text-sm">
          {request.approvals.map((approval) => (
            <li key={`${approval.approver.personId}-${approval.decidedAt}`} className="flex flex-wrap gap-x-2">
              <span className={clsx("font-medium", approval.decision === "APPROVE" ? "text-success-fg" : "text-danger-fg")}>
                {approval.decision === "APPROVE" ? "Approved" : "Rejected"} by {approval.approver.display}
              </span>
              <span className="text-muted">
                <When iso={approval.decidedAt} mode="age" />
              </span>
              {approval.comment ? <q className="text-fg">{approval.comment}</q> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ChangeSet({ request }: { request: SyncRequestDto }) {
  const authors = new Set(request.changeAuthors.map((person) => person.personId));
  if (request.changes.length === 0) return <p className="text-sm text-muted">No commits known for this revision beyond the one requested.</p>;
  return (
    <ul className="flex flex-col gap-1.5 text-sm" data-testid="change-set">
      {request.changes.map((change) => {
        // By default nobody who authored a change in the revision may approve it (DESIGN §6).
        const cannotApprove = change.authorPersonId !== null && authors.has(change.authorPersonId);
        return (
          <li key={`${change.kind}-${change.repository}-${change.sha}`} className="flex flex-wrap items-baseline gap-x-2">
            <Badge tone={change.kind === "config" ? "info" : "neutral"}>{change.kind === "config" ? "config" : "app"}</Badge>
            {change.url ? (
              <a href={change.url} className="font-mono text-xs text-accent underline underline-offset-2 hover:no-underline" title={change.sha}>
                {shortRevision(change.sha)}
              </a>
            ) : (
              <code className="font-mono text-xs text-fg" title={change.sha}>
                {shortRevision(change.sha)}
              </code>
            )}
            <span className="min-w-0 text-fg">{change.headline}</span>
            <span className="text-muted">
              {change.repository} · {change.author}
              {cannotApprove ? <span className="font-medium text-warning-fg"> (author: may not approve)</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * One sync request with everything a reviewer needs on one card: the app, the revision, why, who
 * asked, how long it stays valid, the approvals so far, the change set and a link to the drift
 * diff; then the actions, and once approved the live sync.
 */
export function SyncRequestCard({ request, highlighted = false, headingLevel = "h3" }: { request: SyncRequestDto; highlighted?: boolean; headingLevel?: "h3" | "h4" }) {
  const Heading = headingLevel;
  const status = statusStyles[request.status];
  const headingId = `${requestAnchorId(request.id)}-heading`;
  const open = request.status === "PENDING" || request.status === "APPROVED" || request.status === "EXECUTING";
  // Once approved the sync is followed to its end, and the verdict stays on the card in history.
  const followed = request.status === "APPROVED" || request.status === "EXECUTING" || request.status === "SUCCEEDED" || request.status === "FAILED";
  return (
    <article
      id={requestAnchorId(request.id)}
      aria-labelledby={headingId}
      data-testid="sync-request"
      data-request-id={request.id}
      data-status={request.status}
      className={clsx("flex scroll-mt-6 flex-col gap-4 rounded-lg border bg-surface p-5", highlighted ? "border-accent ring-2 ring-accent" : "border-line")}
    >
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <Heading id={headingId} className="text-base font-semibold text-fg">
            Sync {request.app.name} to <span className="font-mono text-sm">{shortRevision(request.revision)}</span>
          </Heading>
          <p className="mt-0.5 text-sm text-muted">
            {request.app.namespace}
            {request.app.cluster ? ` · ${request.app.cluster}` : ""}
            {request.app.serviceSlug ? (
              <>
                {" · "}
                <Link href={`/services/${request.app.serviceSlug}`} className="text-accent underline underline-offset-2 hover:no-underline">
                  {request.app.serviceName ?? request.app.serviceSlug}
                </Link>
              </>
            ) : null}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {highlighted ? <Badge tone="info">Linked</Badge> : null}
          {request.isProduction ? <Badge tone="warning">Production</Badge> : null}
          <Badge tone={status.tone}>
            <span data-testid="request-status">{status.label}</span>
          </Badge>
        </div>
      </header>

      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-muted">Revision</dt>
        <dd className="text-fg">
          <RevisionCode revision={request.revision} />
          {request.app.driftTargetId ? (
            <>
              {" · "}
              <Link href={`/drift?target=${encodeURIComponent(request.app.driftTargetId)}`} className="text-accent underline underline-offset-2 hover:no-underline">
                Drift diff
              </Link>
            </>
          ) : null}
        </dd>
        <dt className="text-muted">Reason</dt>
        <dd className="break-words text-fg" data-testid="request-reason">
          {request.reason}
        </dd>
        <dt className="text-muted">Requested by</dt>
        <dd className="text-fg">
          {request.requester.display}, <When iso={request.createdAt} mode="age" />
        </dd>
        {open ? (
          <>
            <dt className="text-muted">Expires</dt>
            <dd className="text-fg">
              <When iso={request.expiresAt} mode="deadline" />
            </dd>
          </>
        ) : request.finishedAt ? (
          <>
            <dt className="text-muted">Finished</dt>
            <dd className="text-fg">
              <When iso={request.finishedAt} mode="age" />
            </dd>
          </>
        ) : null}
        <dt className="text-muted">Approvals</dt>
        <dd>
          <Approvals request={request} />
        </dd>
        <dt className="text-muted">Changes</dt>
        <dd>
          <ChangeSet request={request} />
        </dd>
        {request.status === "SUPERSEDED" ? (
          <>
            <dt className="text-muted">Superseded</dt>
            <dd className="text-fg">
              A newer revision replaced it
              {request.supersededById ? (
                <>
                  {" "}
                  (
                  <Link href={`/approvals?request=${request.supersededById}`} className="text-accent underline underline-offset-2 hover:no-underline">
                    the newer request
                  </Link>
                  )
                </>
              ) : null}
              .
            </dd>
          </>
        ) : null}
      </dl>

      {open ? <RequestActions request={request} /> : null}
      {followed ? <ExecutionProgress request={request} /> : null}
    </article>
  );
}
