import { Prisma } from "@/lib/db/generated/client";

/**
 * Day facts: what every metric needs from one day of one service's production deployments of one
 * methodology. A day is a calendar day in ORG_TIMEZONE; a deployment belongs to the day its attempt
 * finished. Every metric of a window is an aggregate of the day facts inside it (counts add up,
 * medians are taken over the concatenated arrays, deployment days are the days with a success), so
 * the facts of full days can be stored (`MetricDayRollup`) and a window reads them instead of every
 * deployment, change, pull request and commit. This module is the one place that turns raw rows into
 * facts; the rollup maintenance and the edges of every window use it, so the two cannot disagree.
 *
 * Columns of a day-facts row:
 * - `service_id`, `methodology`, `local_day` (date in the zone).
 * - `attempt_count`: finished production attempts, SUCCESS + FAILURE. CANCELLED is not an attempt and
 *   IN_PROGRESS has not finished, so neither is ever counted (a row exists only with an attempt).
 * - `successful_count`: the SUCCESS ones, the deployments of deployment frequency.
 * - `failed_change_count`: successful deployments flagged `isFailedChange` (a failed attempt never
 *   went live: it is not a failed change).
 * - `rework_count`: successful deployments flagged `isRework` or `isRollback` (a rollback is always
 *   remediation, so it counts even if only its rollback flag is set).
 * - `any_provisional`: a successful deployment carries a flag the derivation marked provisional.
 * - `unwitnessed_count`: successful GitOps deployments no source saw as an attempt: rebuilt from a
 *   config repository's history (`reconstructed`), or learned from history (Argo CD's
 *   `status.history`, which keeps successful syncs only) that finished before the app, or else its
 *   integration, was first observed. A failed attempt of that time could not have been seen either,
 *   so the success rate leaves them out; it would read 100 % for history no source remembers
 *   failures of. GitHub keeps failed deployments and runs, so DevOps history is witnessed.
 * - change traceability, over every change shipped by the day's successful deployments
 *   (`DeploymentChange`, measured lead time or not):
 *   - `change_count`;
 *   - `independently_approved_count`: through a PR with a known author and at least one approving
 *     reviewer who is someone else: a login different from the author's (case-insensitive) that is
 *     not linked (PersonIdentity, GITHUB) to the author's person. Direct pushes are never approved;
 *   - `known_commit_count` / `signed_commit_count`: the change's commit (the PR's merge commit, or
 *     the pushed commit) found in `Commit` in the PR's or the deployment's repository, and of those
 *     the ones with `signatureVerified`. Commits not mirrored are left out, not counted as unsigned.
 * - lead time, one element per measured change (`leadTimeSeconds` set: a seed deployment and an
 *   unresolved commit yield none, so they never count as 0), the four arrays aligned:
 *   - `lead_time_seconds`;
 *   - `coding_seconds` = `openedAt − firstCommitAt`, `review_seconds` = `mergedAt − openedAt`,
 *     `waiting_seconds` = deployment `finishedAt − mergedAt`: for PR changes only (NULL for a direct
 *     push, which has no PR), each floored at 0 (a first commit authored after the PR opened means no
 *     coding time before review, not negative time).
 * - `recovery_seconds`, one element per recovered failed change D of the day: recovered at the
 *   `finishedAt` of its remediating deployment (`remediatedById`, when that deployment succeeded);
 *   otherwise at the latest `resolvedAt` of the incidents attributed to D, and only when all of them
 *   are resolved. A failed change not yet recovered has no element (left out, not counted as 0).
 * Arrays are sorted and never NULL (empty when nothing applies), so equal facts are equal rows.
 */

/** Bump when the facts above change meaning: stored rollups built with another version are rebuilt. */
export const DAY_FACTS_VERSION = 2;

/** `column = ANY(ids)`, or true for every service (`ids` null). */
export function serviceFilterSql(column: Prisma.Sql, ids: readonly string[] | null): Prisma.Sql {
  return ids === null ? Prisma.sql`true` : Prisma.sql`${column} = ANY(${[...ids]}::uuid[])`;
}

/**
 * Which deployments count: every production environment (`environments` null, DESIGN §3), or the
 * named environments, production or not, when a person chose them (the Overview's filter).
 */
export function environmentFilterSql(deployment: Prisma.Sql, environments: readonly string[] | null): Prisma.Sql {
  return environments === null
    ? Prisma.sql`${deployment}."isProduction"`
    : Prisma.sql`${deployment}.environment = ANY(${[...environments]}::text[])`;
}

/** The local day of an instant in `timeZone`. */
export function localDaySql(column: Prisma.Sql, timeZone: string): Prisma.Sql {
  return Prisma.sql`(date_trunc('day', ${column} AT TIME ZONE ${timeZone}))::date`;
}

export interface RawDayFactsFilter {
  /** Only these services; null for every service. */
  serviceIds: readonly string[] | null;
  /** Condition on `deployment."finishedAt"` (the half-open ranges to read). */
  finishedIn: Prisma.Sql;
  /** One methodology, or null for both. */
  methodology: "DEVOPS" | "GITOPS" | null;
  /** These environments (by name, production or not); null or absent for every production environment. */
  environments?: readonly string[] | null;
  timeZone: string;
}

/** A SELECT of day-facts rows computed from the raw rows (see the module comment). */
export function rawDayFactsSql(filter: RawDayFactsFilter): Prisma.Sql {
  const serviceFilter = Prisma.sql`deployment."serviceId" IS NOT NULL AND ${serviceFilterSql(Prisma.sql`deployment."serviceId"`, filter.serviceIds)}`;
  return Prisma.sql`
  WITH
  fact_attempts AS (
    SELECT
      deployment.id,
      deployment."serviceId" AS service_id,
      deployment."repositoryId" AS repository_id,
      deployment.status,
      deployment.methodology,
      deployment."finishedAt" AS finished_at,
      deployment."isFailedChange" AS is_failed_change,
      deployment."isRework" OR deployment."isRollback" AS is_remediation,
      deployment."remediatedById" AS remediated_by_id,
      deployment.provisional,
      deployment.methodology = 'GITOPS' AND (
        deployment.reconstructed
        OR deployment."finishedAt" < coalesce(
          (SELECT app."observedSince" FROM "GitOpsApp" app WHERE app.id = deployment."gitOpsAppId"),
          (SELECT source."observedSince" FROM "Integration" source WHERE source.id = deployment."integrationId"),
          '-infinity'::timestamptz)
      ) AS unwitnessed,
      ${localDaySql(Prisma.sql`deployment."finishedAt"`, filter.timeZone)} AS local_day
    FROM "Deployment" deployment
    WHERE ${environmentFilterSql(Prisma.sql`deployment`, filter.environments ?? null)}
      AND deployment.status IN ('SUCCESS', 'FAILURE')
      AND ${serviceFilter}
      AND (${filter.finishedIn})
      AND (${filter.methodology}::text IS NULL OR deployment.methodology::text = ${filter.methodology}::text)
  ),
  fact_changes AS (
    SELECT
      attempt.service_id,
      attempt.methodology,
      attempt.local_day,
      change."leadTimeSeconds"::float8 AS lead_time_seconds,
      CASE WHEN change.kind = 'PULL_REQUEST'
        THEN greatest(extract(epoch FROM (change."openedAt" - change."firstCommitAt"))::float8, 0) END AS coding_seconds,
      CASE WHEN change.kind = 'PULL_REQUEST'
        THEN greatest(extract(epoch FROM (change."mergedAt" - change."openedAt"))::float8, 0) END AS review_seconds,
      CASE WHEN change.kind = 'PULL_REQUEST'
        THEN greatest(extract(epoch FROM (attempt.finished_at - change."mergedAt"))::float8, 0) END AS waiting_seconds,
      pull_request.id IS NOT NULL
        AND (pull_request."authorLogin" IS NOT NULL OR pull_request."authorPersonId" IS NOT NULL)
        AND EXISTS (
          SELECT 1
          FROM unnest(pull_request."approvingReviewers") AS reviewer(login)
          WHERE lower(reviewer.login) <> lower(coalesce(pull_request."authorLogin", ''))
            -- An author without a person has no linked logins: no identity lookup needed.
            AND (pull_request."authorPersonId" IS NULL OR NOT EXISTS (
              SELECT 1 FROM "PersonIdentity" identity
              WHERE identity.kind = 'GITHUB'
                AND lower(identity.value) = lower(reviewer.login)
                AND identity."personId" = pull_request."authorPersonId"
            ))
        ) AS independently_approved,
      commit.id IS NOT NULL AS commit_known,
      coalesce(commit."signatureVerified", false) AS commit_signed
    FROM fact_attempts attempt
    JOIN "DeploymentChange" change ON change."deploymentId" = attempt.id
    LEFT JOIN "PullRequest" pull_request ON pull_request.id = change."pullRequestId"
    LEFT JOIN "Commit" commit
      ON commit.sha = change."commitSha"
      AND commit."repositoryId" = coalesce(pull_request."repositoryId", attempt.repository_id)
    WHERE attempt.status = 'SUCCESS'
  ),
  fact_change_days AS (
    SELECT
      service_id,
      methodology,
      local_day,
      count(*)::int AS change_count,
      count(*) FILTER (WHERE independently_approved)::int AS independently_approved_count,
      count(*) FILTER (WHERE commit_known)::int AS known_commit_count,
      count(*) FILTER (WHERE commit_known AND commit_signed)::int AS signed_commit_count,
      array_agg(lead_time_seconds ORDER BY lead_time_seconds, coding_seconds, review_seconds, waiting_seconds)
        FILTER (WHERE lead_time_seconds IS NOT NULL) AS lead_time_seconds,
      array_agg(coding_seconds ORDER BY lead_time_seconds, coding_seconds, review_seconds, waiting_seconds)
        FILTER (WHERE lead_time_seconds IS NOT NULL) AS coding_seconds,
      array_agg(review_seconds ORDER BY lead_time_seconds, coding_seconds, review_seconds, waiting_seconds)
        FILTER (WHERE lead_time_seconds IS NOT NULL) AS review_seconds,
      array_agg(waiting_seconds ORDER BY lead_time_seconds, coding_seconds, review_seconds, waiting_seconds)
        FILTER (WHERE lead_time_seconds IS NOT NULL) AS waiting_seconds
    FROM fact_changes
    GROUP BY service_id, methodology, local_day
  ),
  fact_recovery_days AS (
    SELECT
      failed.service_id,
      failed.methodology,
      failed.local_day,
      array_agg(extract(epoch FROM (recovery.recovered_at - failed.finished_at))::float8 ORDER BY recovery.recovered_at - failed.finished_at)
        AS recovery_seconds
    FROM fact_attempts failed
    LEFT JOIN "Deployment" remediation
      ON remediation.id = failed.remediated_by_id AND remediation.status = 'SUCCESS'
    LEFT JOIN LATERAL (
      -- Every attributed incident must be resolved; an empty set gives NULL (bool_and of nothing).
      SELECT CASE WHEN bool_and(incident."resolvedAt" IS NOT NULL) THEN max(incident."resolvedAt") END AS resolved_at
      FROM "Incident" incident
      WHERE incident."deploymentId" = failed.id
    ) incident_resolution ON true
    CROSS JOIN LATERAL (SELECT coalesce(remediation."finishedAt", incident_resolution.resolved_at) AS recovered_at) recovery
    WHERE failed.status = 'SUCCESS' AND failed.is_failed_change AND recovery.recovered_at IS NOT NULL
    GROUP BY failed.service_id, failed.methodology, failed.local_day
  ),
  fact_attempt_days AS (
    SELECT
      service_id,
      methodology,
      local_day,
      count(*)::int AS attempt_count,
      count(*) FILTER (WHERE status = 'SUCCESS')::int AS successful_count,
      count(*) FILTER (WHERE status = 'SUCCESS' AND is_failed_change)::int AS failed_change_count,
      count(*) FILTER (WHERE status = 'SUCCESS' AND is_remediation)::int AS rework_count,
      coalesce(bool_or(provisional) FILTER (WHERE status = 'SUCCESS'), false) AS any_provisional,
      count(*) FILTER (WHERE status = 'SUCCESS' AND unwitnessed)::int AS unwitnessed_count
    FROM fact_attempts
    GROUP BY service_id, methodology, local_day
  )
  SELECT
    attempt_days.service_id,
    attempt_days.methodology,
    attempt_days.local_day,
    attempt_days.attempt_count,
    attempt_days.successful_count,
    attempt_days.failed_change_count,
    attempt_days.rework_count,
    attempt_days.any_provisional,
    coalesce(change_days.change_count, 0) AS change_count,
    coalesce(change_days.independently_approved_count, 0) AS independently_approved_count,
    coalesce(change_days.known_commit_count, 0) AS known_commit_count,
    coalesce(change_days.signed_commit_count, 0) AS signed_commit_count,
    coalesce(change_days.lead_time_seconds, '{}') AS lead_time_seconds,
    coalesce(change_days.coding_seconds, '{}') AS coding_seconds,
    coalesce(change_days.review_seconds, '{}') AS review_seconds,
    coalesce(change_days.waiting_seconds, '{}') AS waiting_seconds,
    coalesce(recovery_days.recovery_seconds, '{}') AS recovery_seconds,
    attempt_days.unwitnessed_count
  FROM fact_attempt_days attempt_days
  LEFT JOIN fact_change_days change_days
    ON change_days.service_id = attempt_days.service_id AND change_days.methodology = attempt_days.methodology
    AND change_days.local_day = attempt_days.local_day
  LEFT JOIN fact_recovery_days recovery_days
    ON recovery_days.service_id = attempt_days.service_id AND recovery_days.methodology = attempt_days.methodology
    AND recovery_days.local_day = attempt_days.local_day`;
}

/** The stored rollup's rows as day-facts columns, for full days `[firstDay, endDay)`. */
export function storedDayFactsSql(filter: {
  /** Null for every service. */
  serviceIds: readonly string[] | null;
  firstDay: Prisma.Sql;
  endDay: Prisma.Sql;
  methodology: "DEVOPS" | "GITOPS" | null;
}): Prisma.Sql {
  return Prisma.sql`
  SELECT
    rollup."serviceId" AS service_id,
    rollup.methodology,
    rollup.day AS local_day,
    rollup."attemptCount" AS attempt_count,
    rollup."successfulCount" AS successful_count,
    rollup."failedChangeCount" AS failed_change_count,
    rollup."reworkCount" AS rework_count,
    rollup."anyProvisional" AS any_provisional,
    rollup."changeCount" AS change_count,
    rollup."independentlyApprovedCount" AS independently_approved_count,
    rollup."knownCommitCount" AS known_commit_count,
    rollup."signedCommitCount" AS signed_commit_count,
    rollup."leadTimeSeconds" AS lead_time_seconds,
    rollup."codingSeconds" AS coding_seconds,
    rollup."reviewSeconds" AS review_seconds,
    rollup."waitingSeconds" AS waiting_seconds,
    rollup."recoverySeconds" AS recovery_seconds,
    rollup."unwitnessedCount" AS unwitnessed_count
  FROM "MetricDayRollup" rollup
  WHERE ${serviceFilterSql(Prisma.sql`rollup."serviceId"`, filter.serviceIds)}
    AND rollup.day >= ${filter.firstDay}
    AND rollup.day < ${filter.endDay}
    AND (${filter.methodology}::text IS NULL OR rollup.methodology::text = ${filter.methodology}::text)`;
}
