import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Integration as IntegrationWithSecrets } from "@/lib/db/generated/client";

/** An integration as the shared client returns it: the encrypted credentials are never selected. */
export type Integration = Omit<IntegrationWithSecrets, "credentialsEncrypted">;
import type { Env } from "@/lib/env";

/** The org the sandbox serves, and the token it accepts (it is a local demo, not a secret). */
export const SANDBOX_GITHUB_ORG = "acme-sandbox";
export const SANDBOX_GITHUB_TOKEN = "sandbox-token";
/** The bearer token the sandbox's Argo CD accepts (a local demo, not a secret). */
export const SANDBOX_ARGOCD_TOKEN = "sandbox-argocd-token";
/** The bearer token the sandbox's Kubernetes API accepts, written into its kubeconfig (a local demo, not a secret). */
export const SANDBOX_KUBERNETES_TOKEN = "sandbox-kubernetes-token";
export const SANDBOX_HISTORY_DAYS = 200;

export interface GithubIntegrationSettings {
  org: string | null;
  repositories: string[];
  backfillDays: number;
}

/** True when GitHub is configured by environment: a token and an org or a repository list. */
export function githubConfigured(env: Env): boolean {
  return !!env.GITHUB_TOKEN && (!!env.GITHUB_ORG || env.GITHUB_REPOS.length > 0);
}

/** With no real source configured (or when asked), the product runs on the sandbox org (DESIGN §8). */
export function useSandbox(env: Env, requested: boolean): boolean {
  return requested || !githubConfigured(env);
}

/**
 * Writes the integrations that configuration defines: a GitHub integration from the environment
 * (read-only in Settings, token never stored) or the sandbox's. Environment-defined ones win over
 * stored ones of the same name. Returns the integrations to sync.
 */
export interface KubernetesIntegrationSettings {
  /** The kubeconfig file on this server (never its content: exec plugins run commands). */
  kubeconfigPath: string;
  context: string | null;
}

/** The kubeconfig the environment names, else `~/.kube/config` when it exists. */
export function kubeconfigPathFrom(env: Env): string | null {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter)[0] ?? null;
  const fallback = path.join(homedir(), ".kube", "config");
  return existsSync(fallback) ? fallback : null;
}

export async function registerIntegrations(
  db: Db,
  env: Env,
  options: {
    sandboxUrl: string | null;
    /** The sandbox's Argo CD and the kubeconfig file of its Kubernetes API, when it runs. */
    sandboxArgocdUrl?: string | null;
    sandboxKubeconfigPath?: string | null;
  },
): Promise<Integration[]> {
  const registered: Integration[] = [];
  if (githubConfigured(env)) {
    const settings: GithubIntegrationSettings = { org: env.GITHUB_ORG ?? null, repositories: env.GITHUB_REPOS, backfillDays: env.GITHUB_BACKFILL_DAYS };
    registered.push(
      await db.integration.upsert({
        where: { kind_name: { kind: "GITHUB", name: "github" } },
        create: { kind: "GITHUB", name: "github", origin: "ENV", baseUrl: env.GITHUB_API_URL, settings: { ...settings } },
        update: { origin: "ENV", baseUrl: env.GITHUB_API_URL, settings: { ...settings }, enabled: true },
      }),
    );
  }
  if (options.sandboxUrl) {
    const settings: GithubIntegrationSettings = { org: SANDBOX_GITHUB_ORG, repositories: [], backfillDays: SANDBOX_HISTORY_DAYS };
    registered.push(
      await db.integration.upsert({
        where: { kind_name: { kind: "GITHUB", name: "sandbox" } },
        create: { kind: "GITHUB", name: "sandbox", origin: "SANDBOX", baseUrl: options.sandboxUrl, settings: { ...settings } },
        update: { origin: "SANDBOX", baseUrl: options.sandboxUrl, settings: { ...settings }, enabled: true },
      }),
    );
  }
  const gitops: { kind: "ARGOCD" | "FLUX_KUBERNETES"; name: string; origin: "ENV" | "SANDBOX"; baseUrl: string; settings: object }[] = [];
  if (env.ARGOCD_SERVER) gitops.push({ kind: "ARGOCD", name: "argocd", origin: "ENV", baseUrl: env.ARGOCD_SERVER, settings: {} });
  const kubeconfigPath = kubeconfigPathFrom(env);
  if (kubeconfigPath) {
    const settings: KubernetesIntegrationSettings = { kubeconfigPath, context: env.KUBE_CONTEXT ?? null };
    gitops.push({ kind: "FLUX_KUBERNETES", name: "kubernetes", origin: "ENV", baseUrl: kubeconfigPath, settings });
  }
  // Named apart from the sandbox's GitHub: people (and Settings) tell sources apart by name.
  if (options.sandboxArgocdUrl) gitops.push({ kind: "ARGOCD", name: "sandbox-argocd", origin: "SANDBOX", baseUrl: options.sandboxArgocdUrl, settings: {} });
  if (options.sandboxKubeconfigPath) {
    const settings: KubernetesIntegrationSettings = { kubeconfigPath: options.sandboxKubeconfigPath, context: null };
    gitops.push({ kind: "FLUX_KUBERNETES", name: "sandbox-kubernetes", origin: "SANDBOX", baseUrl: options.sandboxKubeconfigPath, settings });
  }
  for (const source of gitops) {
    registered.push(
      await db.integration.upsert({
        where: { kind_name: { kind: source.kind, name: source.name } },
        create: { ...source, settings: { ...source.settings } },
        update: { origin: source.origin, baseUrl: source.baseUrl, settings: { ...source.settings }, enabled: true },
      }),
    );
  }
  // Configuration that is gone disables its integration (data kept); it comes back when configured again.
  await db.integration.updateMany({
    where: { origin: { in: ["ENV", "SANDBOX"] }, id: { notIn: registered.map((integration) => integration.id) } },
    data: { enabled: false },
  });
  return registered;
}
