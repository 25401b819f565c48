/** Labels as GitHub embeds them in issues and PRs. The model stores names only; ids and colours are derived, stable per repo and name. */
import type { SandboxRepository } from "../model";
import type { ApiContext } from "./context";
import { type Schemas, nodeId, stableId } from "./schemas";

/** GitHub's default labels keep their default colours and descriptions; `default: true` marks them as GitHub does. */
const KNOWN: Record<string, { color: string; description: string; isDefault: boolean }> = {
  bug: { color: "d73a4a", description: "Something isn't working", isDefault: true },
  documentation: { color: "0075ca", description: "Improvements or additions to documentation", isDefault: true },
  enhancement: { color: "a2eeef", description: "New feature or request", isDefault: true },
  incident: { color: "b60205", description: "Production incident", isDefault: false },
  hotfix: { color: "e99695", description: "Urgent fix for production", isDefault: false },
  revert: { color: "fbca04", description: "Reverts an earlier change", isDefault: false },
  dependencies: { color: "0366d6", description: "Pull requests that update a dependency file", isDefault: false },
};

/**
 * `description` is always a string here: GitHub sends null for a label without one, but the schema of
 * labels inside `pull-request-simple` does not allow null, and "" is valid for every shape.
 */
export function serializeLabel(ctx: ApiContext, repo: SandboxRepository, name: string): Schemas["label"] & { description: string } {
  const id = stableId(`label:${repo.fullName}:${name}`);
  const known = KNOWN[name.toLowerCase()];
  return {
    id,
    node_id: nodeId("Label", id),
    url: `${ctx.apiBase}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    name,
    description: known?.description ?? "",
    color: known?.color ?? id.toString(16).slice(-6).padStart(6, "0"),
    default: known?.isDefault ?? false,
  };
}
