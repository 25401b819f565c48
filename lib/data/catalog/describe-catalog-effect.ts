import { exactNameOf } from "@/lib/ingest/environment-rules";
import type { CatalogEffectDto, EnvironmentOutcomeDto, EnvironmentRuleStateDto, ObjectRowsMovedDto, ReclassifiedDto, RowsMovedDto, ServiceRefDto, TeamRefDto } from "./catalog-types";

/**
 * A catalog change's effect in plain sentences: what the preview shows before Save, and what the
 * audit event keeps. Pure, so the wording is tested without a database.
 */

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}

function quote(name: string): string {
  return `“${name}”`;
}

function teamName(team: TeamRefDto): string {
  return `team ${team.name}`;
}

/** "production" / "non-production", plus the environment the rule records when it renames. */
function ruleOutcome(rule: EnvironmentOutcomeDto, name: string): string {
  const kind = rule.isProduction ? "production" : "non-production";
  return rule.environment && rule.environment !== name ? `${kind}, recorded as ${quote(rule.environment)}` : kind;
}

function movedSentence(group: RowsMovedDto, toSlug: string): string {
  const parts = [group.deployments ? count(group.deployments, "deployment") : null, group.incidents ? count(group.incidents, "incident") : null].filter(Boolean).join(" and ");
  const verb = group.deployments + group.incidents === 1 ? "moves" : "move";
  return group.from ? `${parts} ${verb} from service ${group.from.slug} to ${toSlug}.` : `${parts} that had no service ${verb === "moves" ? "is" : "are"} assigned to ${toSlug}.`;
}

/** "14 deployments and 2 drift episodes of Argo CD app argocd/pricing-engine move from — to pricing-engine." */
function objectMovedSentence(group: ObjectRowsMovedDto, display: string, to: ServiceRefDto | null): string {
  const parts = [group.deployments ? count(group.deployments, "deployment") : null, group.driftEpisodes ? count(group.driftEpisodes, "drift episode") : null].filter(Boolean).join(" and ");
  const verb = group.deployments + group.driftEpisodes === 1 ? "moves" : "move";
  return `${parts} of ${display} ${verb} from ${group.from ? `service ${group.from.slug}` : "—"} to ${to ? to.slug : "— (no service)"}.`;
}

function objectMovedSentences(moved: ObjectRowsMovedDto[], display: string, to: ServiceRefDto | null): string[] {
  const rows = moved.filter((group) => group.deployments + group.driftEpisodes > 0);
  if (rows.length === 0) return [`No deployments or drift episodes of ${display} are recorded, so no rows move.`];
  return rows.map((group) => objectMovedSentence(group, display, to));
}

function emptiedSentence(emptied: ServiceRefDto & { deploymentsLeft: number }): string {
  const left = emptied.deploymentsLeft;
  return `Service ${emptied.slug} is left without bindings; it stays in the catalog with its audit history${left ? ` and ${count(left, "deployment")} from elsewhere` : ""}.`;
}

function reclassifiedSentence(change: ReclassifiedDto): string {
  const one = change.deployments === 1;
  const parts: string[] = [];
  if (change.from.isProduction !== change.to.isProduction) {
    parts.push(change.to.isProduction ? (one ? "becomes production" : "become production") : one ? "stops counting as production" : "stop counting as production");
  }
  if (change.from.environment !== change.to.environment) {
    parts.push(`${one ? "is" : "are"} recorded as ${quote(change.to.environment)} instead of ${quote(change.from.environment)}`);
  }
  return `${count(change.deployments, "deployment")} named ${quote(change.sourceName)} ${parts.join(" and ")}.`;
}

function reclassifiedSentences(changes: ReclassifiedDto[]): string[] {
  if (changes.length === 0) return ["No recorded deployment changes environment or production status."];
  const sentences = changes.map(reclassifiedSentence);
  const gained = changes.filter((change) => change.to.isProduction && !change.from.isProduction).reduce((sum, change) => sum + change.deployments, 0);
  const lost = changes.filter((change) => !change.to.isProduction && change.from.isProduction).reduce((sum, change) => sum + change.deployments, 0);
  if (changes.length > 1 && (gained || lost)) {
    sentences.push(`In all, ${[gained ? `${count(gained, "deployment")} ${gained === 1 ? "becomes" : "become"} production` : null, lost ? `${count(lost, "deployment")} ${lost === 1 ? "stops" : "stop"} counting as production` : null].filter(Boolean).join(" and ")}.`);
  }
  return sentences;
}

function ruleSentence(name: string, before: EnvironmentRuleStateDto | null, after: EnvironmentRuleStateDto): string {
  return before
    ? `The rule for ${quote(name)} changes from ${ruleOutcome(before, name)} to ${ruleOutcome(after, name)}.`
    : `A rule is added: ${quote(name)} is ${ruleOutcome(after, name)}.`;
}

export function describeCatalogEffect(effect: CatalogEffectDto, changed: boolean): string[] {
  switch (effect.kind) {
    case "bind-repository": {
      if (!changed) return [`${effect.repository.fullName} is already bound to service ${effect.to.slug}; nothing changes.`];
      const sentences: string[] = [];
      if (effect.createdTeam) sentences.push(`A new ${teamName(effect.createdTeam)} (${effect.createdTeam.slug}) is created.`);
      if (effect.createdService) {
        const team = effect.createdService.team;
        sentences.push(`A new service ${effect.to.name} (${effect.to.slug}) is created ${team ? `in ${teamName(team)}` : "without a team"}.`);
      }
      sentences.push(
        effect.from
          ? `${effect.repository.fullName} moves from service ${effect.from.slug} (bound ${effect.fromOrigin === "manual" ? "by hand" : "by convention"}) to ${effect.to.slug}; the binding is manual, so ingestion keeps it.`
          : `${effect.repository.fullName}, unmapped until now, is bound to ${effect.to.slug} by hand; ingestion keeps this binding.`,
      );
      const moved = effect.moved.filter((group) => group.deployments + group.incidents > 0);
      if (moved.length === 0) sentences.push(`No deployments or incidents of ${effect.repository.fullName} are recorded, so no rows move.`);
      for (const group of moved) sentences.push(movedSentence(group, effect.to.slug));
      if (effect.emptiedService) sentences.push(emptiedSentence(effect.emptiedService));
      return sentences;
    }
    case "bind-object": {
      const display = effect.object.display;
      if (!changed) return [`${display} is already bound to service ${effect.to.slug} by hand; nothing changes.`];
      const sentences: string[] = [];
      if (effect.createdTeam) sentences.push(`A new ${teamName(effect.createdTeam)} (${effect.createdTeam.slug}) is created.`);
      if (effect.createdService) {
        const team = effect.createdService.team;
        sentences.push(`A new service ${effect.to.name} (${effect.to.slug}) is created ${team ? `in ${teamName(team)}` : "without a team"}.`);
      }
      if (!effect.from) sentences.push(`${display}, unmapped until now, is bound to ${effect.to.slug} by hand; ingestion keeps this binding.`);
      else if (effect.from.id === effect.to.id) sentences.push(`${display} stays with service ${effect.to.slug}, but its binding becomes manual: ingestion keeps it whatever the object's annotation or name says later.`);
      else sentences.push(`${display} moves from service ${effect.from.slug} (bound ${effect.fromOrigin === "manual" ? "by hand" : "by convention"}) to ${effect.to.slug}; the binding is manual, so ingestion keeps it.`);
      const objects = effect.moved.reduce((sum, group) => sum + group.objects, 0);
      if (objects > 1) sentences.push(`${count(objects, "stored copy", "stored copies")} of it (reported by more than one integration) follow the binding.`);
      sentences.push(...objectMovedSentences(effect.moved, display, effect.to));
      if (effect.emptiedService) sentences.push(emptiedSentence(effect.emptiedService));
      return sentences;
    }
    case "unbind-object": {
      const display = effect.object.display;
      return [
        `The manual binding of ${display} to service ${effect.from.slug} is removed; it is unmapped until the next sync, which binds it again only if its pipeline-health.dev/service annotation or its name names a service.`,
        ...objectMovedSentences(effect.moved, display, null),
        ...(effect.emptiedService ? [emptiedSentence(effect.emptiedService)] : []),
      ];
    }
    case "move-service": {
      const service = `Service ${effect.service.slug}`;
      if (!changed) return [effect.to ? `${service} is already in ${teamName(effect.to)}; nothing changes.` : `${service} already has no team; nothing changes.`];
      const sentences: string[] = [];
      if (effect.createdTeam) sentences.push(`A new ${teamName(effect.createdTeam)} (${effect.createdTeam.slug}) is created.`);
      const deployments = effect.deployments ? `; its ${count(effect.deployments, "deployment")} now ${effect.to ? `count for ${effect.to.name}` : "count for no team"}` : "";
      if (effect.from && effect.to) sentences.push(`${service} moves from ${teamName(effect.from)} to ${teamName(effect.to)}${deployments}.`);
      else if (effect.to) sentences.push(`${service}, without a team until now, joins ${teamName(effect.to)}${deployments}.`);
      else if (effect.from) sentences.push(`${service} leaves ${teamName(effect.from)} and has no team${deployments}.`);
      if (effect.emptiedTeam) sentences.push(`${teamName(effect.emptiedTeam).replace(/^t/, "T")} is left without services; it stays in the catalog.`);
      return sentences;
    }
    case "classify-environment": {
      if (!changed) return [`${quote(effect.name)} is already classified as ${ruleOutcome(effect.after, effect.name)}; nothing changes.`];
      return [ruleSentence(effect.name, effect.before, effect.after), ...reclassifiedSentences(effect.reclassified)];
    }
    case "remove-environment-rule": {
      const name = exactNameOf(effect.removed.pattern);
      const subject = name === null ? `The rule for names matching ${quote(effect.removed.pattern)}` : `The rule for ${quote(name)}`;
      return [
        `${subject} (${ruleOutcome(effect.removed, name ?? "")}) is removed; what it matched falls back to the PRODUCTION_ENVIRONMENTS pattern, or to non-production.`,
        ...reclassifiedSentences(effect.reclassified),
      ];
    }
    default: {
      const never: never = effect;
      throw new Error(`Unknown catalog effect ${JSON.stringify(never)}`);
    }
  }
}
