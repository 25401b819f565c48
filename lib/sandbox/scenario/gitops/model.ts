/**
 * The cluster side of the sandbox org as the generator meant it: config repositories, what Argo CD
 * and Flux did with them, and where the cluster drifted from what was deployed. Written by the
 * generator as each event happens (see simulate-gitops.ts), never derived with product code, so
 * ingestion and drift metrics can be compared with it. Times are ISO strings like the rest of the
 * truth; shas are the config repository's (revisions) or the app repository's (image tags).
 */

export type GitopsControllerKind = "argocd-application" | "flux-kustomization" | "flux-helmrelease";

export interface GitopsWorkloadRef {
  kind: "Deployment";
  namespace: string;
  name: string;
  container: string;
}

export interface GitopsApp {
  serviceSlug: string;
  controller: GitopsControllerKind;
  /** Application / Kustomization / HelmRelease name and the namespace the object lives in. */
  name: string;
  namespace: string;
  /** `org/name` of the app repository whose builds the image tags name. */
  appRepository: string;
  /** `org/name` of the config repository it reconciles (served on the sandbox's GitHub, topic `gitops-config`). */
  configRepository: string;
  configBranch: string;
  /** Directory of the app in the config repository, and the file CI rewrites on each bump. */
  path: string;
  file: string;
  image: string;
  /** Argo CD: automated sync on; false means a person syncs. Flux always reconciles on its own. */
  autoSync: boolean;
  /** Argo CD `syncPolicy.automated.selfHeal`. */
  selfHeal: boolean;
  /**
   * HelmRelease `spec.driftDetection.mode` ("enabled" corrects drift, "disabled" sees nothing);
   * null for the other kinds.
   */
  driftDetection: "enabled" | "disabled" | null;
  /** Whether live drift can be seen at all (false for a HelmRelease with drift detection off). */
  driftObservable: boolean;
  /** Flux `spec.interval` in seconds (reconciliation period); null for Argo CD. */
  intervalSeconds: number | null;
  workload: GitopsWorkloadRef;
  createdAt: string;
}

export interface GitopsConfigCommit {
  repository: string;
  serviceSlug: string;
  sha: string;
  parents: string[];
  authorLogin: string;
  authorName: string;
  authorEmail: string;
  committedAt: string;
  message: string;
  /** The one file this commit changes, and its whole content at this commit. */
  path: string;
  content: string;
  /** Image reference the file names at this commit, and its tag. */
  image: string;
  imageTag: string;
  /** The app commit the tag names; null for a tag without a sha (a semver tag), left unresolved. */
  appSha: string | null;
  kind: "initial" | "bump" | "revert";
  /** For a revert: the config commit it reverts. */
  revertsSha: string | null;
}

export type GitopsTrigger =
  /** Argo CD automated sync or Flux reconciling a new revision. */
  | "auto"
  /** Argo CD self-heal: automated sync of the revision already synced, repairing live drift. */
  | "self-heal"
  /** A person pressed Sync (or `argocd app sync`). */
  | "manual"
  /** Automated retry after a failed attempt (Argo CD retry / Flux retryInterval). */
  | "retry"
  /** A person synced an older revision on purpose (`argocd app rollback` / `sync --revision`). */
  | "rollback"
  /** Flux's periodic reconciliation that found and corrected a change made outside Git. */
  | "interval";

export interface GitopsOperationResult {
  finishedAt: string;
  /** Argo CD `operationState.phase`; for Flux, Ready=True is Succeeded, Ready=False is Failed. */
  phase: "Succeeded" | "Failed" | "Error";
  message: string;
  /** Flux: `status.lastAppliedRevision` after this attempt (config sha); null for Argo CD. */
  lastAppliedRevision: string | null;
}

/**
 * One Argo CD operation (what `status.operationState` showed) or one Flux reconciliation that
 * applied or tried to apply something. Flux's no-op interval reconciliations are not listed.
 */
export interface GitopsOperation {
  id: string;
  serviceSlug: string;
  controller: GitopsControllerKind;
  appName: string;
  /** Config commit synced or attempted (Argo CD `syncResult.revision`, Flux `lastAttemptedRevision`). */
  revision: string;
  /** What ran before this operation (config sha), null before the first one. */
  previousRevision: string | null;
  trigger: GitopsTrigger;
  startedAt: string;
  initiatedBy: { automated: boolean; username: string | null };
  /** Argo CD partial sync: only these resources were synced (the app stays OutOfSync). */
  partialResources: { kind: string; namespace: string; name: string }[] | null;
  /** Whether this operation sets out to change the running revision (what makes it a deployment). */
  changesRevision: boolean;
  /** Null while running; written when it finishes. */
  result: GitopsOperationResult | null;
}

export interface GitopsHealthTransition {
  serviceSlug: string;
  at: string;
  status: "Progressing" | "Healthy" | "Degraded";
  /** The operation that caused it, or null (drift, a crash unrelated to a sync). */
  operationId: string | null;
}

export interface GitopsDeploymentAttempt {
  operationId: string;
  startedAt: string;
  finishedAt: string;
  outcome: "success" | "failure";
}

/**
 * A GitOps deployment: an operation (or, for Flux, the attempts at one revision) that set out to
 * change the running revision. Written when its first attempt finishes; a Flux retry of the same
 * revision adds an attempt and moves `finishedAt` and `status` to the latest one.
 */
export interface GitopsDeployment {
  id: string;
  serviceSlug: string;
  environment: "production";
  controller: GitopsControllerKind;
  configRepository: string;
  configSha: string;
  previousConfigSha: string | null;
  image: string;
  imageTag: string;
  /** App commit named by the tag; null when the tag holds no sha (unresolved, never guessed). */
  appSha: string | null;
  startedAt: string;
  finishedAt: string;
  status: "success" | "failure";
  initiatedBy: { automated: boolean; username: string | null };
  /** Goes back to an image an earlier deployment of this service ran (a reverted bump or an older revision). */
  isRollback: boolean;
  attempts: GitopsDeploymentAttempt[];
}

export interface GitopsDriftResource {
  kind: string;
  namespace: string;
  name: string;
  /** JSON path-ish field that differs, e.g. `spec.replicas`. */
  field: string;
  liveValue: string;
  desiredValue: string;
}

export interface GitopsDriftEpisode {
  id: string;
  serviceSlug: string;
  /** Who is responsible for the workload: a GitOps controller, or a push-based pipeline. */
  managedBy: GitopsControllerKind | "push";
  /** Whether the product can see it (false: HelmRelease with drift detection off). */
  observable: boolean;
  /** The person who edited the cluster by hand. */
  actorLogin: string;
  resources: GitopsDriftResource[];
  startedAt: string;
  /** Null while still open. */
  endedAt: string | null;
  endedBy: "self-heal" | "sync" | "reconcile" | "new-deployment" | null;
  /** The operation (GitOps) or deployment external id (push) that ended it. */
  endedByRef: string | null;
}

/** A config commit waiting to be deployed: sync lag, not drift. */
export interface GitopsPendingChange {
  serviceSlug: string;
  configSha: string;
  appearedAt: string;
  /** When a deployment carrying it (or a later revision) finished successfully; null while pending. */
  deployedAt: string | null;
  deployedById: string | null;
}

export interface GitopsTruth {
  apps: GitopsApp[];
  /** Push-based services' production Deployments, watched for drift too. */
  pushWorkloads: { serviceSlug: string; workload: GitopsWorkloadRef }[];
  configCommits: GitopsConfigCommit[];
  operations: GitopsOperation[];
  healthTransitions: GitopsHealthTransition[];
  deployments: GitopsDeployment[];
  driftEpisodes: GitopsDriftEpisode[];
  pendingChanges: GitopsPendingChange[];
}

/** A config repository's history; `org.repositories` serves it as a GitHub repository (see config-repositories.ts). */
export interface SandboxConfigRepository {
  fullName: string;
  defaultBranch: string;
  serviceSlug: string;
  createdAt: string;
  /** In commit order; the last is the branch head. */
  commits: GitopsConfigCommit[];
}
