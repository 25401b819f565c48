import type { DbTransaction } from "@/lib/db/client";
import type { BindingKind } from "@/lib/db/generated/enums";

/**
 * How a GitOps object or a live workload finds its service (DESIGN §2 bindings). In order: a
 * binding an admin made or one found earlier (kept, never re-decided); the object's
 * `pipeline-health.dev/service` annotation naming an existing service; an existing service whose
 * slug is the object's name. A match by annotation or name is stored as a convention binding, so
 * Settings can show it and an admin can override it. Nothing matching: unmapped (null), listed in
 * Settings, never a new service (a GitOps object alone does not say which repository it ships).
 */
export async function resolveObjectService(
  tx: DbTransaction,
  input: { kind: Extract<BindingKind, "GITOPS_APP" | "WORKLOAD">; matchKey: string; integrationId: string; annotation: string | null; name: string },
): Promise<string | null> {
  const bound = await tx.serviceBinding.findFirst({ where: { kind: input.kind, matchKey: input.matchKey, pathPrefix: "" }, select: { serviceId: true } });
  if (bound) return bound.serviceId;
  const candidates = [input.annotation, input.name].filter((slug): slug is string => !!slug).map((slug) => slug.toLowerCase());
  for (const slug of candidates) {
    const service = await tx.service.findUnique({ where: { slug }, select: { id: true } });
    if (!service) continue;
    await tx.serviceBinding.create({ data: { serviceId: service.id, kind: input.kind, matchKey: input.matchKey, integrationId: input.integrationId, origin: "CONVENTION" } });
    return service.id;
  }
  return null;
}

/** `argocd:<cluster>/<namespace>/<name>`, `flux:kustomization/<namespace>/<name>`, … lower-cased. */
export function gitOpsMatchKey(kind: "ARGOCD_APPLICATION" | "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE", cluster: string, namespace: string, name: string): string {
  const prefix = kind === "ARGOCD_APPLICATION" ? "argocd" : kind === "FLUX_KUSTOMIZATION" ? "flux:kustomization" : "flux:helmrelease";
  return `${prefix}:${cluster}/${namespace}/${name}`.toLowerCase();
}

export function workloadMatchKey(cluster: string, namespace: string, name: string): string {
  return `k8s:${cluster}/${namespace}/deployment/${name}`.toLowerCase();
}

/** The app repository of a service (its repository binding), whose commits image tags name. */
export async function serviceRepository(tx: DbTransaction, serviceId: string): Promise<{ id: string; name: string } | null> {
  const rows = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT r.id, r.name FROM "ServiceBinding" b
    JOIN "Repository" r ON 'github:' || lower(r."fullName") = b."matchKey"
    WHERE b."serviceId" = ${serviceId}::uuid AND b.kind = 'REPOSITORY' AND b."pathPrefix" = ''
    ORDER BY r."createdAt" LIMIT 1`;
  return rows[0] ?? null;
}
