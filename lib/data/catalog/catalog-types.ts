/**
 * The JSON shapes of the service catalog: what `getCatalog` returns and what a change does.
 * Plain data (strings, numbers, booleans), so they cross the wire and the RSC boundary unchanged;
 * the zod schemas in `lib/queries/catalog.ts` check the same shapes in the browser.
 */

export type BindingOriginDto = "convention" | "manual";
export type ClassifiedByDto = "rule" | "production-pattern" | "default";

export interface TeamRefDto {
  id: string;
  slug: string;
  name: string;
}

export interface ServiceRefDto {
  id: string;
  slug: string;
  name: string;
}

export interface CatalogBindingDto {
  id: string;
  kind: "REPOSITORY" | "GITOPS_APP" | "WORKLOAD" | "IMAGE";
  /** The outside key without its source prefix, e.g. `acme/api`. */
  display: string;
  matchKey: string;
  origin: BindingOriginDto;
}

export interface CatalogServiceDto extends ServiceRefDto {
  team: TeamRefDto | null;
  bindings: CatalogBindingDto[];
  deploymentCount: number;
  incidentCount: number;
}

export interface CatalogTeamDto extends TeamRefDto {
  serviceCount: number;
}

export interface CatalogRepositoryDto {
  id: string;
  fullName: string;
  integrationName: string;
  archived: boolean;
  service: ServiceRefDto | null;
  /** How the repository's binding was made; null when it has none (unmapped). */
  bindingOrigin: BindingOriginDto | null;
  deploymentCount: number;
  incidentCount: number;
}

/** What kind of outside object a GitOps-side binding is about. */
export type CatalogObjectTypeDto = "gitops-app" | "workload";

/** A GitOps object (Argo CD Application, Flux Kustomization or HelmRelease) or a live workload, as the catalog lists it. */
export interface CatalogObjectDto {
  id: string;
  type: CatalogObjectTypeDto;
  /** "Argo CD app", "Flux Kustomization", "Flux HelmRelease" or "Deployment". */
  kindLabel: string;
  cluster: string;
  namespace: string;
  name: string;
  /** `kindLabel namespace/name`, e.g. "Argo CD app argocd/catalog-api". */
  display: string;
  integrationName: string;
  /** The service its rows count for now; null when unmapped. */
  service: ServiceRefDto | null;
  /** The binding its key has, if any (a manual one can be removed from Settings). */
  binding: { id: string; origin: BindingOriginDto } | null;
  /** Deployments made by this GitOps object (always 0 for a workload: its deployments come from CI). */
  deploymentCount: number;
  driftEpisodeCount: number;
}

export interface EnvironmentOutcomeDto {
  environment: string;
  isProduction: boolean;
}

export interface CatalogEnvironmentDto {
  /** The environment name as sources report it. */
  name: string;
  /** What the rules make of the name now (and what new deployments of it get). */
  classification: EnvironmentOutcomeDto & { by: ClassifiedByDto; ruleId: string | null };
  deploymentCount: number;
  productionCount: number;
  /** Deployments recorded under an older classification (e.g. before PRODUCTION_ENVIRONMENTS changed); the next catalog change brings them in line. */
  outdatedCount: number;
}

export interface CatalogEnvironmentRuleDto extends EnvironmentOutcomeDto {
  id: string;
  matchOn: string;
  pattern: string;
  priority: number;
  /** The exact name the rule is about, when its pattern is one name (as Settings writes it). */
  name: string | null;
  /** False when the stored pattern is not a valid regular expression (it is then ignored). */
  valid: boolean;
  deploymentCount: number;
}

/** DESIGN §3: deployments whose app commit is unresolved are listed, never guessed. */
export interface UnresolvedCommitsDto {
  gitOpsAppId: string;
  display: string;
  service: { id: string; slug: string; name: string } | null;
  /** Unresolved production deployments of this object, reconstructed ones included. */
  deploymentCount: number;
  latest: { startedAt: string; configRevision: string | null; images: string[] };
}

export interface CatalogDto {
  /** Whether this viewer may change the catalog (admins); everyone may read it. */
  canManage: boolean;
  /** `PRODUCTION_ENVIRONMENTS`, the pattern that decides where no rule does. */
  productionPattern: string;
  services: CatalogServiceDto[];
  teams: CatalogTeamDto[];
  repositories: CatalogRepositoryDto[];
  environments: CatalogEnvironmentDto[];
  rules: CatalogEnvironmentRuleDto[];
  /** Every stored GitOps object, mapped or not, by display name. */
  gitOpsApps: CatalogObjectDto[];
  /** Every stored live workload, mapped or not, by display name. */
  workloads: CatalogObjectDto[];
  unmapped: {
    /** Repositories no binding ties to a service (archived ones, or ones outside GITHUB_REPOS). */
    repositories: CatalogRepositoryDto[];
    /** Environment names no admin rule classifies explicitly. */
    environments: CatalogEnvironmentDto[];
    /** GitOps objects no binding or convention ties to a service (their deployments and drift count for none). */
    gitOpsApps: CatalogObjectDto[];
    /** Live workloads no binding or convention ties to a service (their drift is not observable). */
    workloads: CatalogObjectDto[];
    /** GitOps objects whose production deployments ran an image no commit could be found for (left out of lead time). */
    unresolvedCommits: UnresolvedCommitsDto[];
  };
}

export interface RowsMovedDto {
  from: ServiceRefDto | null;
  deployments: number;
  incidents: number;
}

/** Rows of a GitOps object or workload that changed service, grouped by the service they had. */
export interface ObjectRowsMovedDto {
  from: ServiceRefDto | null;
  /** The object rows themselves (more than one when integrations report the same object). */
  objects: number;
  deployments: number;
  driftEpisodes: number;
}

export interface CatalogObjectRefDto {
  type: CatalogObjectTypeDto;
  id: string;
  display: string;
  /** The binding key (`gitOpsMatchKey` / `workloadMatchKey`), shared by every stored row of the object. */
  matchKey: string;
}

export interface EnvironmentRuleStateDto extends EnvironmentOutcomeDto {
  id: string;
  pattern: string;
}

export interface ReclassifiedDto {
  sourceName: string;
  from: EnvironmentOutcomeDto;
  to: EnvironmentOutcomeDto;
  deployments: number;
}

/** Exactly what a change did (apply) or would do (preview): both come from running it. */
export type CatalogEffectDto =
  | {
      kind: "bind-repository";
      repository: { id: string; fullName: string };
      from: ServiceRefDto | null;
      fromOrigin: BindingOriginDto | null;
      to: ServiceRefDto;
      createdService: { team: TeamRefDto | null } | null;
      createdTeam: TeamRefDto | null;
      moved: RowsMovedDto[];
      /** The previous service, when this change leaves it with no binding at all (it stays, with its history). */
      emptiedService: (ServiceRefDto & { deploymentsLeft: number }) | null;
    }
  | {
      kind: "bind-object";
      object: CatalogObjectRefDto;
      from: ServiceRefDto | null;
      fromOrigin: BindingOriginDto | null;
      to: ServiceRefDto;
      createdService: { team: TeamRefDto | null } | null;
      createdTeam: TeamRefDto | null;
      moved: ObjectRowsMovedDto[];
      emptiedService: (ServiceRefDto & { deploymentsLeft: number }) | null;
    }
  | {
      kind: "unbind-object";
      object: CatalogObjectRefDto;
      /** The service the removed manual binding named. */
      from: ServiceRefDto;
      /** Rows that lose their service (they count for none until ingestion binds the object again). */
      moved: ObjectRowsMovedDto[];
      emptiedService: (ServiceRefDto & { deploymentsLeft: number }) | null;
    }
  | {
      kind: "move-service";
      service: ServiceRefDto;
      from: TeamRefDto | null;
      to: TeamRefDto | null;
      createdTeam: TeamRefDto | null;
      /** The service's deployments, which now count for the new team. */
      deployments: number;
      /** The previous team, when this change leaves it with no service. */
      emptiedTeam: TeamRefDto | null;
    }
  | {
      kind: "classify-environment";
      name: string;
      before: EnvironmentRuleStateDto | null;
      after: EnvironmentRuleStateDto;
      reclassified: ReclassifiedDto[];
    }
  | {
      kind: "remove-environment-rule";
      removed: EnvironmentRuleStateDto;
      reclassified: ReclassifiedDto[];
    };

export interface CatalogChangeResultDto {
  /** False when the catalog already is as asked: nothing was (or would be) written. */
  changed: boolean;
  effect: CatalogEffectDto;
  /** The effect in plain sentences, for the preview and the audit trail. */
  summary: string[];
  /** SHA-256 (hex) of the effect; Save sends the preview's back, and apply refuses (409) if it no longer matches. */
  fingerprint: string;
}
