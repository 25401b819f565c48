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
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RawArgoApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
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
  prune?: boolean;
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
  syncResult?: { revision?: string; revisions?: string[]; resources?: RawArgoResourceResult[] };
}

export interface RawArgoRevisionHistory {
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt: string;
  deployStartedAt?: string;
  initiatedBy?: RawArgoOperationInitiator;
}

export interface RawArgoResourceStatus {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Synced | OutOfSync | Unknown */
  status?: string;
  health?: { status?: string; message?: string };
}

export interface RawArgoApplicationStatus {
  sync?: { status?: string; revision?: string; revisions?: string[] };
  health?: { status?: string; message?: string; lastTransitionTime?: string };
  history?: RawArgoRevisionHistory[];
  operationState?: RawArgoOperationState;
  reconciledAt?: string;
  observedAt?: string;
  summary?: { images?: string[]; externalURLs?: string[] };
  resources?: RawArgoResourceStatus[];
}

export interface RawArgoApplication {
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
