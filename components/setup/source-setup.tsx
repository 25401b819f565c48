import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";

/** Inline code for commands and variable names. */
export function Code({ children }: { children: ReactNode }) {
  return <code className="rounded whitespace-nowrap bg-surface-sunken px-1 py-0.5 text-[0.85em] text-fg">{children}</code>;
}

export type SourceKind = "github" | "argocd" | "flux" | "sandbox";

/**
 * The GitHub variables, shared by these steps (`short`) and Settings → Integrations (`full`,
 * with the optional ones and the one-off sync).
 */
export function GithubConfiguration({ detail = "full" }: { detail?: "short" | "full" }) {
  return (
    <>
      Set <Code>GITHUB_TOKEN</Code> and <Code>GITHUB_ORG</Code> (or <Code>GITHUB_REPOS</Code>, comma-separated{" "}
      <Code>owner/name</Code>) before <Code>npm start</Code>; for GitHub Enterprise also <Code>GITHUB_API_URL=https://HOST/api/v3</Code>.
      {detail === "full" ? (
        <>
          {" "}
          Optional: <Code>GITHUB_BACKFILL_DAYS</Code> (default 180) and <Code>PRODUCTION_ENVIRONMENTS</Code> (a regex naming
          production environments). <Code>npm run cli -- sync</Code> ingests once from the command line.
        </>
      ) : (
        " Settings → Integrations lists the optional variables."
      )}
    </>
  );
}

/** What `npm start` does with nothing configured, in one sentence. */
export function SandboxDescription() {
  return (
    <>
      With no source configured, <Code>npm start</Code> runs the sandbox org: a simulated organisation,{" "}
      <Code>acme-sandbox</Code>, served locally with about 200 days of GitHub history, and ingests it.{" "}
      <Code>npm start -- --sandbox</Code> runs it next to configured sources too.
    </>
  );
}

type Step = { title: string; available: boolean; body: ReactNode };

const sourceSteps: Record<SourceKind, Step> = {
  github: {
    title: "GitHub",
    available: true,
    body: <GithubConfiguration detail="short" />,
  },
  argocd: {
    title: "Argo CD (GitOps)",
    available: false,
    body: (
      <>
        Coming in a later release, configured by <Code>ARGOCD_SERVER</Code> and <Code>ARGOCD_TOKEN</Code>. This version
        does not read them yet.
      </>
    ),
  },
  flux: {
    title: "Flux and live workloads (Kubernetes)",
    available: false,
    body: (
      <>
        Coming in a later release, through a kubeconfig file on the server named by <Code>KUBECONFIG</Code>. This version
        does not read it yet.
      </>
    ),
  },
  sandbox: {
    title: "Or look at the sandbox org",
    available: true,
    body: (
      <>
        <SandboxDescription /> Its GitOps side arrives with Argo CD and Flux.
      </>
    ),
  },
};

/** How to connect the sources that feed a section, in the order a new user needs them. */
export function SourceSetup({ sources }: { sources: SourceKind[] }) {
  const needsGitOpsOnly = !sources.includes("github");
  return (
    <div className="flex flex-col gap-3">
      {/* Said plainly so nobody sets a variable this version does not read yet. */}
      <p className="text-sm text-muted">
        {needsGitOpsOnly
          ? "This needs Argo CD or Flux / Kubernetes, which arrive in a later release. GitHub can be connected now."
          : "GitHub can be connected now; Argo CD and Flux arrive in a later release."}
      </p>
      <ul className="flex flex-col gap-3">
        {sources.map((kind) => {
          const step = sourceSteps[kind];
          return (
            <li key={kind} className="rounded-md border border-line bg-surface-sunken/60 px-4 py-3">
              <p className="flex flex-wrap items-center gap-2 font-medium text-fg">
                {step.title}
                {kind === "sandbox" ? null : (
                  <Badge tone={step.available ? "success" : "neutral"}>{step.available ? "Available" : "Not available yet"}</Badge>
                )}
              </p>
              <p className="mt-1 text-muted">{step.body}</p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
