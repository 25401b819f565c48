import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Change traceability (DESIGN §3), over the changes shipped by successful deployments in scope
 * (every `DeploymentChange`, measured lead time or not).
 *
 * CTE `change_traceability`, one row per (service, cohort) with a shipped change:
 * - `change_count`: the changes.
 * - `independently_approved_count`: changes through a PR with a known author and at least one approving
 *   reviewer who is someone else: a login different from the author's (case-insensitive) that is not
 *   linked (PersonIdentity, GITHUB) to the author's person. Direct pushes are never approved.
 * - `known_commit_count` / `signed_commit_count`: the change's commit (the PR's merge commit, or the
 *   pushed commit) found in `Commit` in the PR's or the deployment's repository, and of those the ones
 *   with `signatureVerified`. Commits not mirrored are left out of the share, not counted as unsigned.
 * Expects `baseCtes` before it.
 */
export function traceabilityCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  traced_changes AS (
    -- One row per shipped change, joined once however many cohorts it is counted in.
    SELECT
      successful_deployments.service_id,
      successful_deployments.methodology,
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
    FROM successful_deployments
    JOIN "DeploymentChange" change ON change."deploymentId" = successful_deployments.id
    LEFT JOIN "PullRequest" pull_request ON pull_request.id = change."pullRequestId"
    LEFT JOIN "Commit" commit
      ON commit.sha = change."commitSha"
      AND commit."repositoryId" = coalesce(pull_request."repositoryId", successful_deployments.repository_id)
  ),
  change_traceability AS (
    SELECT
      service_id,
      cohort,
      count(*)::int AS change_count,
      count(*) FILTER (WHERE independently_approved)::int AS independently_approved_count,
      count(*) FILTER (WHERE commit_known)::int AS known_commit_count,
      count(*) FILTER (WHERE commit_known AND commit_signed)::int AS signed_commit_count
    FROM ${cohortRows("traced_changes", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
