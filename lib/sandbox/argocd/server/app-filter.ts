/**
 * The query filters Argo CD's list and watch share (`name`, `selector`, `projects`, `repo`,
 * `appNamespace`), applied to the API form of each Application. Selectors support the equality
 * forms (`k=v`, `k==v`, `k!=v`) and existence (`k`, `!k`); set-based ones match nothing here.
 */
import type { ApiObject } from "./serialize-application";

type Predicate = (application: ApiObject) => boolean;

function labelsOf(application: ApiObject): Record<string, string> {
  const metadata = application.metadata as { labels?: Record<string, string> } | undefined;
  return metadata?.labels ?? {};
}

function selectorPredicate(selector: string): Predicate {
  const terms = selector.split(",").map((term) => term.trim()).filter(Boolean);
  const tests = terms.map((term): Predicate => {
    const unequal = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term);
    if (unequal) return (application) => labelsOf(application)[unequal[1]!] !== unequal[2];
    const equal = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term);
    if (equal) return (application) => labelsOf(application)[equal[1]!] === equal[2];
    if (/^![^\s=!]+$/.test(term)) return (application) => !(term.slice(1) in labelsOf(application));
    if (/^[^\s=!()]+$/.test(term)) return (application) => term in labelsOf(application);
    return () => false;
  });
  return (application) => tests.every((test) => test(application));
}

export function applicationFilter(query: URLSearchParams): Predicate {
  const predicates: Predicate[] = [];
  const name = query.get("name");
  if (name) predicates.push((application) => (application.metadata as { name?: string }).name === name);
  const namespace = query.get("appNamespace");
  if (namespace) predicates.push((application) => (application.metadata as { namespace?: string }).namespace === namespace);
  const selector = query.get("selector");
  if (selector) predicates.push(selectorPredicate(selector));
  const projects = [...query.getAll("projects"), ...query.getAll("project")].filter(Boolean);
  if (projects.length > 0) predicates.push((application) => projects.includes(String((application.spec as { project?: string }).project ?? "default")));
  const repo = query.get("repo");
  if (repo) predicates.push((application) => (application.spec as { source?: { repoURL?: string } }).source?.repoURL === repo);
  return (application) => predicates.every((predicate) => predicate(application));
}
