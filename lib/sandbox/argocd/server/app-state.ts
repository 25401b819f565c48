/**
 * The facts about one app at a snapshot that the resource views need (target and live images,
 * replicas, health, open drift). Read from the truth the generator wrote, with the same rules as
 * `clusterObjectOf`, so the Application, its resource tree and its diff never disagree.
 */
import type { GitopsApp, GitopsDriftResource, GitopsTruth } from "@/lib/sandbox/scenario/gitops/model";

/** Replicas every sandbox manifest asks for; drift episodes on `spec.replicas` name it as desired. */
export const DESIRED_REPLICAS = 3;

export interface AppState {
  app: GitopsApp;
  /** Image the config repository's head names (what Git wants). */
  targetImage: string;
  /** Image the cluster runs: the last successful sync's, or a hand edit's while drift is open. */
  liveImage: string;
  liveReplicas: number;
  health: "Healthy" | "Progressing" | "Degraded";
  /** Open drift on this app's resources, as the generator recorded it. */
  drifted: GitopsDriftResource[];
  /** Whether an operation is running (started, not finished) at the snapshot. */
  operationRunning: boolean;
}

export const IMAGE_FIELD = (container: string) => `spec.template.spec.containers[name=${container}].image`;

export function appStateOf(gitops: GitopsTruth, app: GitopsApp): AppState {
  const operations = gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug);
  const commits = gitops.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug);
  const head = commits.at(-1);
  const applied = [...operations].reverse().find((operation) => operation.result?.phase === "Succeeded" && operation.changesRevision);
  const appliedImage = commits.find((commit) => commit.sha === applied?.revision)?.image;
  const drifted = gitops.driftEpisodes.filter((episode) => episode.serviceSlug === app.serviceSlug && episode.endedAt === null).flatMap((episode) => episode.resources);
  const override = (field: string) => drifted.filter((resource) => resource.kind === "Deployment" && resource.name === app.workload.name && resource.field === field).at(-1)?.liveValue;
  const targetImage = head?.image ?? app.image;
  const replicas = Number(override("spec.replicas") ?? DESIRED_REPLICAS);
  return {
    app,
    targetImage,
    liveImage: override(IMAGE_FIELD(app.workload.container)) ?? appliedImage ?? targetImage,
    liveReplicas: Number.isFinite(replicas) ? replicas : DESIRED_REPLICAS,
    health: gitops.healthTransitions.filter((transition) => transition.serviceSlug === app.serviceSlug).at(-1)?.status ?? "Healthy",
    drifted,
    operationRunning: operations.at(-1)?.result === null,
  };
}
