import { describe, expect, it } from "vitest";
import type { SandboxDeployment, SandboxRepository } from "@/lib/sandbox/github/model";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import type { GroundTruthDeployment } from "@/lib/sandbox/scenario/ground-truth";

const ANCHOR = new Date("2026-06-15T12:00:00Z");
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

const { org, truth } = generateScenario({ anchor: ANCHOR });

const ms = (iso: string): number => Date.parse(iso);

function repoByFullName(fullName: string): SandboxRepository {
  return org.repositories.find((repo) => repo.fullName === fullName)!;
}

function production(serviceSlug: string): GroundTruthDeployment[] {
  return truth.deployments.filter((deployment) => deployment.serviceSlug === serviceSlug && deployment.production);
}

function byExternalId(externalId: string): GroundTruthDeployment {
  return truth.deployments.find((deployment) => deployment.externalId === externalId)!;
}

/** The final state, ignoring the `inactive` GitHub adds once a deployment is superseded. */
function finalState(deployment: SandboxDeployment): string | undefined {
  return deployment.statuses.filter((status) => status.state !== "inactive").at(-1)?.state;
}

/** Production deployments (not rollbacks) that were live at `time`: the latest finished before it. */
function latestForwardBefore(serviceSlug: string, time: number): GroundTruthDeployment | undefined {
  return production(serviceSlug)
    .filter((deployment) => deployment.outcome === "success" && !deployment.isRollback && ms(deployment.finishedAt) <= time)
    .at(-1);
}

const successfulProduction = truth.deployments.filter((deployment) => deployment.production && deployment.outcome === "success");
const failedChanges = truth.deployments.filter((deployment) => deployment.failedChange !== null);
const devopsServices = truth.services.filter((service) => service.methodology === "devops");

describe("scenario truth matches the org", () => {
  it("has every truth deployment in the org with its sha, environment and final status", () => {
    for (const deployment of truth.deployments) {
      const repo = repoByFullName(deployment.repository);
      if (deployment.source === "github_deployment") {
        const found = repo.deployments.find((candidate) => String(candidate.id) === deployment.externalId)!;
        expect(found).toBeDefined();
        expect(found.sha).toBe(deployment.sha);
        expect(found.environment).toBe(deployment.environment);
        expect(found.productionEnvironment).toBe(deployment.production);
        expect(found.createdAt).toBe(deployment.startedAt);
        expect(finalState(found)).toBe(deployment.outcome);
        expect(found.statuses.filter((status) => status.state !== "inactive").at(-1)!.createdAt).toBe(deployment.finishedAt);
      } else {
        const run = repo.workflowRuns.find((candidate) => String(candidate.id) === deployment.externalId)!;
        expect(run).toBeDefined();
        expect(run.headSha).toBe(deployment.sha);
        expect(run.inputs.environment).toBe(deployment.environment);
        expect(run.conclusion).toBe(deployment.outcome);
        expect(run.runStartedAt).toBe(deployment.startedAt);
        expect(run.updatedAt).toBe(deployment.finishedAt);
      }
    }
  });

  it("has every org deployment and deploy run in the truth", () => {
    const known = new Set(truth.deployments.map((deployment) => deployment.externalId));
    for (const repo of org.repositories) {
      for (const deployment of repo.deployments) expect(known.has(String(deployment.id))).toBe(true);
      const deployWorkflow = repo.workflows.find((workflow) => /deploy/i.test(workflow.path));
      for (const run of repo.workflowRuns.filter((candidate) => candidate.workflowId === deployWorkflow?.id)) expect(known.has(String(run.id))).toBe(true);
    }
  });

  it("writes GitHub deployment statuses as in_progress, then the final state, then maybe inactive", () => {
    for (const deployment of org.repositories.flatMap((repo) => repo.deployments)) {
      const states = deployment.statuses.map((status) => status.state);
      expect(states[0]).toBe("in_progress");
      expect(["success", "failure", "error"]).toContain(states[1]);
      expect(states.slice(2).every((state) => state === "inactive")).toBe(true);
      if (states[1] !== "success") expect(states).toHaveLength(2);
      expect(deployment.updatedAt).toBe(deployment.statuses.at(-1)!.createdAt);
      const times = deployment.statuses.map((status) => ms(status.createdAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });
});

describe("scenario deployments", () => {
  it("deploys to staging before production, at team cadences within a bounded volume", () => {
    for (const service of devopsServices) {
      const prod = production(service.slug);
      const staging = truth.deployments.filter((deployment) => deployment.serviceSlug === service.slug && deployment.environment === "staging");
      expect(staging.length).toBeGreaterThan(0);
      if (prod.length > 1) expect(prod.length).toBeGreaterThanOrEqual(10);
      expect(prod.length).toBeLessThanOrEqual(130);
      for (const deployment of prod.filter((candidate) => !candidate.isRollback && candidate.outcome === "success")) {
        // The same commit reached staging first.
        expect(staging.some((candidate) => candidate.sha === deployment.sha && candidate.outcome === "success" && ms(candidate.finishedAt) <= ms(deployment.startedAt))).toBe(true);
      }
    }
    const counts = devopsServices.map((service) => production(service.slug).filter((deployment) => deployment.outcome === "success").length);
    expect(Math.max(...counts)).toBeGreaterThan(2 * Math.min(...counts.filter((count) => count > 1)));
  });

  it("has failed and errored attempts, often retried with the same sha", () => {
    const failed = truth.deployments.filter((deployment) => deployment.production && deployment.outcome === "failure");
    const errored = truth.deployments.filter((deployment) => deployment.production && deployment.outcome === "error");
    expect(failed.length).toBeGreaterThan(0);
    expect(errored.length).toBeGreaterThan(0);
    const retried = [...failed, ...errored].filter((attempt) =>
      production(attempt.serviceSlug).some((later) => later.sha === attempt.sha && later.outcome === "success" && ms(later.startedAt) > ms(attempt.finishedAt)),
    );
    expect(retried.length).toBeGreaterThan(0);
    for (const attempt of [...failed, ...errored]) {
      expect(attempt.shipsChanges).toEqual([]);
      expect(attempt.failedChange).toBeNull();
    }
  });

  it("has workflow-deployed services with cancelled runs that are not attempts", () => {
    const cancelled = truth.deployments.filter((deployment) => deployment.outcome === "cancelled");
    expect(cancelled.length).toBeGreaterThan(0);
    for (const run of cancelled) {
      expect(run.source).toBe("github_workflow");
      expect(run.shipsChanges).toEqual([]);
    }
    expect(truth.deployments.some((deployment) => deployment.source === "github_workflow" && deployment.production && deployment.outcome === "success")).toBe(true);
  });

  it("rolls back to the sha of the production deployment that ran before the bad release", () => {
    const rollbacks = truth.deployments.filter((deployment) => deployment.isRollback);
    expect(rollbacks.length).toBeGreaterThan(0);
    for (const rollback of rollbacks) {
      expect(rollback.production).toBe(true);
      expect(rollback.outcome).toBe("success");
      expect(rollback.shipsChanges).toEqual([]);
      const target = byExternalId(rollback.rollbackToExternalId!);
      expect(target.serviceSlug).toBe(rollback.serviceSlug);
      expect(target.outcome).toBe("success");
      expect(target.sha).toBe(rollback.sha);
      expect(ms(target.finishedAt)).toBeLessThan(ms(rollback.startedAt));
      const bad = byExternalId(rollback.remediates!);
      expect(bad.failedChange).toMatchObject({ rule: "rollback", remediatedByExternalId: rollback.externalId });
      expect(ms(rollback.startedAt) - ms(bad.finishedAt)).toBeLessThan(WEEK_MS);
      const repo = repoByFullName(rollback.repository);
      const deployment = repo.deployments.find((candidate) => String(candidate.id) === rollback.externalId)!;
      expect(deployment.task).toBe("deploy");
      expect(deployment.description).toMatch(/rollback/i);
    }
  });

  it("has a service with exactly one production deployment ever", () => {
    const single = devopsServices.filter((service) => production(service.slug).length === 1);
    expect(single.length).toBeGreaterThanOrEqual(1);
    for (const service of single) {
      const [only] = production(service.slug);
      expect(only!.outcome).toBe("success");
      expect(only!.shipsChanges).toEqual([]);
    }
  });

  it("has a quiet week for a service that otherwise releases weekly", () => {
    const historyStart = ANCHOR.getTime() - 200 * DAY_MS;
    // Thursday 1970-01-01 + 4 days is a Monday: weeks are counted Monday to Monday.
    const firstMonday = historyStart - ((historyStart - 4 * DAY_MS) % WEEK_MS) + WEEK_MS;
    const weeklyWithQuietWeek = devopsServices.filter((service) => {
      const releases = production(service.slug).filter((deployment) => deployment.outcome === "success");
      if (releases.length < 10) return false;
      const weeks: number[] = [];
      for (let week = firstMonday + 2 * WEEK_MS; week + WEEK_MS < ANCHOR.getTime() - WEEK_MS; week += WEEK_MS) {
        weeks.push(releases.filter((deployment) => ms(deployment.finishedAt) >= week && ms(deployment.finishedAt) < week + WEEK_MS).length);
      }
      const weeksWithRelease = weeks.filter((count) => count > 0).length;
      return weeksWithRelease / weeks.length >= 0.75 && weeks.includes(0);
    });
    expect(weeklyWithQuietWeek.length).toBeGreaterThan(0);
  });
});

describe("scenario change sets", () => {
  it("ships nothing on a seed, and every landed change at most once per service and environment", () => {
    const landed = new Map(truth.changes.map((change) => [`${change.repository}@${change.landedSha}`, change]));
    const chains = new Map<string, GroundTruthDeployment[]>();
    for (const deployment of truth.deployments) {
      const key = `${deployment.serviceSlug}/${deployment.environment}`;
      chains.set(key, [...(chains.get(key) ?? []), deployment]);
    }
    for (const chain of chains.values()) {
      const successes = chain.filter((deployment) => deployment.outcome === "success");
      expect(successes[0]!.shipsChanges).toEqual([]);
      const shipped = new Set<string>();
      for (const deployment of chain) {
        if (deployment.outcome !== "success" || deployment.isRollback) expect(deployment.shipsChanges).toEqual([]);
        for (const sha of deployment.shipsChanges) {
          expect(shipped.has(sha)).toBe(false);
          shipped.add(sha);
          const change = landed.get(`${deployment.repository}@${sha}`)!;
          expect(change).toBeDefined();
          expect(ms(change.mergedAt ?? change.firstCommitAuthoredAt)).toBeLessThanOrEqual(ms(deployment.startedAt));
        }
      }
      // Forward releases after the seed ship what landed since: their own commit is among it.
      for (const deployment of successes.slice(1).filter((candidate) => !candidate.isRollback && candidate.shipsChanges.length > 0)) {
        expect(deployment.shipsChanges.at(-1)).toBe(deployment.sha);
      }
    }
  });
});

describe("scenario failed changes", () => {
  it("makes each kind of failed change, all revealed inside their windows", () => {
    const rules = new Set(failedChanges.map((deployment) => deployment.failedChange!.rule));
    expect([...rules].sort()).toEqual(["hotfix", "incident", "revert", "rollback"]);
    expect(failedChanges.length / successfulProduction.length).toBeLessThan(0.2);
    for (const deployment of failedChanges) {
      expect(deployment.production).toBe(true);
      expect(deployment.outcome).toBe("success");
      expect(deployment.isRollback).toBe(false);
    }
  });

  it("reverts a PR the failed release shipped, within 7 days, and ships the revert right after", () => {
    const reverts = failedChanges.filter((deployment) => deployment.failedChange!.rule === "revert");
    expect(reverts.length).toBeGreaterThan(0);
    for (const bad of reverts) {
      const revert = truth.changes.find(
        (change) => change.repository === bad.repository && change.revertsPullRequestNumber !== null && bad.shipsChanges.includes(truth.changes.find((original) => original.repository === bad.repository && original.pullRequestNumber === change.revertsPullRequestNumber)!.landedSha),
      )!;
      expect(revert).toBeDefined();
      expect(ms(revert.mergedAt!) - ms(bad.finishedAt)).toBeLessThan(WEEK_MS);
      const remediation = byExternalId(bad.failedChange!.remediatedByExternalId!);
      expect(remediation.shipsChanges).toContain(revert.landedSha);
      expect(remediation.remediates).toBe(bad.externalId);
    }
  });

  it("opens hotfix PRs within 7 days while the failed release is the latest one, and only then", () => {
    const hotfixes = truth.changes.filter((change) => change.labels.includes("hotfix"));
    const allHotfixPrs = org.repositories.flatMap((repo) => repo.pullRequests.filter((pr) => pr.labels.includes("hotfix")).map((pr) => ({ repo, pr })));
    expect(hotfixes.length).toBeGreaterThan(0);
    for (const { repo, pr } of allHotfixPrs) {
      const service = truth.services.find((candidate) => candidate.repository === repo.fullName)!;
      const latest = latestForwardBefore(service.slug, ms(pr.createdAt))!;
      expect(ms(pr.createdAt) - ms(latest.finishedAt)).toBeLessThan(WEEK_MS);
      expect(latest.failedChange).not.toBeNull();
    }
    for (const bad of failedChanges.filter((deployment) => deployment.failedChange!.rule === "hotfix")) {
      const remediation = byExternalId(bad.failedChange!.remediatedByExternalId!);
      expect(remediation.remediates).toBe(bad.externalId);
      expect(remediation.shipsChanges.some((sha) => hotfixes.some((change) => change.landedSha === sha))).toBe(true);
    }
  });

  it("flags a release by incident only within 24 h; other incidents are at least a day clear of any release", () => {
    const caused = truth.incidents.filter((incident) => incident.causedByExternalId !== null);
    const unrelated = truth.incidents.filter((incident) => incident.causedByExternalId === null);
    expect(caused.length).toBeGreaterThan(0);
    expect(unrelated.length).toBeGreaterThan(0);
    expect(failedChanges.some((deployment) => deployment.failedChange!.rule === "incident")).toBe(true);
    for (const incident of truth.incidents) {
      const repo = repoByFullName(incident.repository);
      const issue = repo.issues.find((candidate) => candidate.number === incident.number)!;
      expect(issue.labels).toContain("incident");
      expect(issue.createdAt).toBe(incident.openedAt);
      expect(issue.closedAt).toBe(incident.resolvedAt);
      const service = truth.services.find((candidate) => candidate.repository === incident.repository)!;
      const latest = latestForwardBefore(service.slug, ms(incident.openedAt));
      const withinDay = latest !== undefined && ms(incident.openedAt) - ms(latest.finishedAt) <= DAY_MS;
      if (incident.causedByExternalId === null) {
        expect(withinDay).toBe(false);
      } else {
        expect(latest!.externalId).toBe(incident.causedByExternalId);
        expect(withinDay).toBe(true);
        expect(latest!.failedChange!.incidentNumber).toBe(incident.number);
      }
    }
  });

  it("has an unrelated incident just over 24 h after a release, and an incident still open", () => {
    const edge = truth.incidents.filter((incident) => {
      const service = truth.services.find((candidate) => candidate.repository === incident.repository)!;
      const latest = latestForwardBefore(service.slug, ms(incident.openedAt));
      return incident.causedByExternalId === null && latest !== undefined && ms(incident.openedAt) - ms(latest.finishedAt) < DAY_MS + HOUR_MS;
    });
    expect(edge.length).toBeGreaterThan(0);
    expect(truth.incidents.some((incident) => incident.resolvedAt === null)).toBe(true);
    for (const incident of truth.incidents.filter((candidate) => candidate.resolvedAt !== null)) {
      expect(ms(incident.resolvedAt!)).toBeGreaterThan(ms(incident.openedAt));
    }
  });

  it("makes revert PRs only for failed changes that shipped the reverted PR", () => {
    for (const revert of truth.changes.filter((change) => change.revertsPullRequestNumber !== null)) {
      const original = truth.changes.find((change) => change.repository === revert.repository && change.pullRequestNumber === revert.revertsPullRequestNumber)!;
      const shippedBy = truth.deployments.find((deployment) => deployment.production && deployment.shipsChanges.includes(original.landedSha))!;
      expect(shippedBy.failedChange?.rule).toBe("revert");
      expect(ms(revert.mergedAt!) - ms(shippedBy.finishedAt)).toBeLessThan(WEEK_MS);
    }
  });

  it("never re-deploys an already deployed production sha except as a rollback", () => {
    for (const service of devopsServices) {
      const deployed = new Set<string>();
      for (const deployment of production(service.slug).filter((candidate) => candidate.outcome === "success")) {
        expect(deployment.isRollback).toBe(deployed.has(deployment.sha));
        deployed.add(deployment.sha);
      }
    }
  });

  it("links every remediation to its failed change", () => {
    for (const remediation of truth.deployments.filter((deployment) => deployment.remediates !== null)) {
      const bad = byExternalId(remediation.remediates!);
      expect(bad.failedChange).not.toBeNull();
      expect(bad.failedChange!.remediatedByExternalId).toBe(remediation.externalId);
      expect(ms(remediation.startedAt)).toBeGreaterThan(ms(bad.finishedAt));
    }
    for (const bad of failedChanges) {
      const { rule, remediatedByExternalId } = bad.failedChange!;
      if (rule !== "incident") expect(remediatedByExternalId).not.toBeNull();
      else expect(remediatedByExternalId).toBeNull();
    }
  });
});
