import type { ReactNode } from "react";

/** Inline code for commands and variable names. */
export function Code({ children }: { children: ReactNode }) {
  return <code className="rounded whitespace-nowrap bg-surface-sunken px-1 py-0.5 text-[0.85em] text-fg">{children}</code>;
}

export type SourceKind = "github" | "argocd" | "flux" | "sandbox";

const sourceSteps: Record<SourceKind, { title: string; body: ReactNode }> = {
  github: {
    title: "GitHub (DevOps and GitOps repositories)",
    body: (
      <>
        Set <Code>GITHUB_TOKEN</Code> and <Code>GITHUB_ORG</Code> before <Code>npm start</Code>. Deployments, workflow
        runs, pull requests and commits will be read through the REST API.
      </>
    ),
  },
  argocd: {
    title: "Argo CD (GitOps)",
    body: (
      <>
        Set <Code>ARGOCD_SERVER</Code> and <Code>ARGOCD_TOKEN</Code>. Applications, sync operations and drift will be
        followed through Argo CD&apos;s API.
      </>
    ),
  },
  flux: {
    title: "Flux and live workloads (Kubernetes)",
    body: (
      <>
        Set <Code>KUBECONFIG</Code> to a kubeconfig file on the server. Kustomizations, HelmReleases and Deployments will be
        watched through the Kubernetes API.
      </>
    ),
  },
  sandbox: {
    title: "Or try the demo org",
    body: (
      <>
        <Code>npm start -- --sandbox</Code> will load a simulated organisation, half GitOps and half push-based, with
        months of history.
      </>
    ),
  },
};

/** How to connect the sources that feed a section, in the order a new user needs them. */
export function SourceSetup({ sources }: { sources: SourceKind[] }) {
  return (
    <div className="flex flex-col gap-3">
      {/* Said plainly so nobody sets a variable this version does not read yet. */}
      <p className="text-sm text-muted">This version does not connect to any source yet. The connectors arrive in the next releases and will be configured like this:</p>
      <ul className="flex flex-col gap-3">
      {sources.map((kind) => (
        <li key={kind} className="rounded-md border border-line bg-surface-sunken/60 px-4 py-3">
          <p className="font-medium text-fg">{sourceSteps[kind].title}</p>
          <p className="mt-1 text-muted">{sourceSteps[kind].body}</p>
        </li>
      ))}
      </ul>
    </div>
  );
}
