/**
 * The parts of Argo CD's REST payloads (`/api/v1/applications`, `/api/v1/stream/applications`) the
 * product reads, as Argo CD's API description defines them (`v1alpha1Application` and friends).
 * Every field Argo CD may omit is optional here: an Application that never synced has no
 * `operationState`, no `history`, and an empty `summary`.
 */

export interface RawArgoObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RawArgoApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  /** A Helm chart from a chart repository (its version is `targetRevision`, a semver, not a commit). */
  chart?: string;
  /** Multi-source apps: a source only named (`$ref/values.yaml`) for another source's values files. */
  ref?: string;
  /** Argo CD 2.14+: a name for the source within a multi-source app. */
  name?: string;
}

export interface RawArgoDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface RawArgoSyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  /** Argo CD 3.x: automated sync can be configured but switched off. */
  enabled?: boolean;
}

export interface RawArgoApplicationSpec {
  project?: string;
  source?: RawArgoApplicationSource;
  sources?: RawArgoApplicationSource[];
  destination: RawArgoDestination;
  syncPolicy?: { automated?: RawArgoSyncPolicyAutomated; syncOptions?: string[] };
}

export interface RawArgoOperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface RawArgoSyncOperation {
  revision?: string;
  revisions?: string[];
  /** Multi-source syncs (Argo CD 2.11+): 1-based positions in `spec.sources` the `revisions` are for. */
  sourcePositions?: number[];
  prune?: boolean;
  /** A partial sync (only these resources); Argo CD records no history entry for it. */
  resources?: { group?: string; kind: string; name: string; namespace?: string }[];
  /** Set on operations the controller started to undo drift (self-heal). */
  autoHealAttemptsCount?: number;
}

export interface RawArgoOperation {
  sync?: RawArgoSyncOperation;
  initiatedBy?: RawArgoOperationInitiator;
  /** Free-form name/value pairs; the dashboard's own syncs name their request here. */
  info?: { name: string; value: string }[];
}

export interface RawArgoResourceResult {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Synced | SyncFailed | Pruned | PruneSkipped */
  status?: string;
  message?: string;
  images?: string[];
}

export interface RawArgoOperationState {
  operation?: RawArgoOperation;
  /** Running | Terminating | Failed | Error | Succeeded */
  phase: string;
  message?: string;
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
  syncResult?: { revision?: string; revisions?: string[]; resources?: RawArgoResourceResult[]; source?: RawArgoApplicationSource; sources?: RawArgoApplicationSource[] };
}

export interface RawArgoRevisionHistory {
  id: number;
  /** Single-source apps; the API sends `""` for multi-source ones (their revisions are in `revisions`). */
  revision?: string;
  /** Multi-source apps: one revision per entry of `sources`, in the same order. */
  revisions?: string[];
  deployedAt: string;
  /** Missing on entries written by Argo CD before 2.0 (the field did not exist). */
  deployStartedAt?: string;
  initiatedBy?: RawArgoOperationInitiator;
  source?: RawArgoApplicationSource;
  sources?: RawArgoApplicationSource[];
}

export interface RawArgoResourceStatus {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Synced | OutOfSync | Unknown */
  /** Git no longer has it and auto-prune is off: it waits to be pruned. */
  requiresPruning?: boolean;
  status?: string;
  health?: { status?: string; message?: string };
}

export interface RawArgoApplicationStatus {
  sync?: {
    status?: string;
    revision?: string;
    revisions?: string[];
    /** What the comparison was made against (the spec's sources when it ran). */
    comparedTo?: { source?: RawArgoApplicationSource; sources?: RawArgoApplicationSource[]; destination?: RawArgoDestination };
  };
  health?: { status?: string; message?: string; lastTransitionTime?: string };
  history?: RawArgoRevisionHistory[];
  operationState?: RawArgoOperationState;
  reconciledAt?: string;
  observedAt?: string;
  summary?: { images?: string[]; externalURLs?: string[] };
  resources?: RawArgoResourceStatus[];
  /** Multi-source apps only; Argo CD 2.6+. */
  sourceTypes?: string[];
  sourceType?: string;
}

export interface RawArgoApplication {
  apiVersion?: string;
  kind?: string;
  metadata: RawArgoObjectMeta;
  spec: RawArgoApplicationSpec;
  status?: RawArgoApplicationStatus;
  /** A requested operation not yet picked up by the controller. */
  operation?: RawArgoOperation;
}

/** One message of `GET /api/v1/stream/applications` (newline-delimited `{"result": …}`). */
export interface RawArgoApplicationWatchEvent {
  /** ADDED | MODIFIED | DELETED */
  type: string;
  application: RawArgoApplication;
}
