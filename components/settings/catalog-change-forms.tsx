"use client";

import { type ReactNode, useId, useState } from "react";
import {
  type CatalogChangeInput,
  type CatalogChangeResultDto,
  type CatalogEnvironmentDto,
  type CatalogEnvironmentRuleDto,
  type CatalogObjectDto,
  type CatalogRepositoryDto,
  type CatalogServiceDto,
  type CatalogTeamDto,
  catalogChangeSchema,
} from "@/lib/queries/catalog";
import { CatalogChangeDialog, type FormState } from "./catalog-change-dialog";

const fieldClasses = "rounded-md border border-line-strong bg-surface px-3 py-2 text-sm font-normal text-fg";
const labelClasses = "flex flex-col gap-1.5 text-sm font-medium text-fg";

const FIELD_LABELS: Record<string, string> = { slug: "Slug", name: "Name", serviceId: "Service", teamId: "Team", environment: "Record as environment" };

/** Validates with the same schema the API uses, so the form never sends what the server refuses. */
function formState(candidate: CatalogChangeInput): FormState {
  const parsed = catalogChangeSchema.safeParse(candidate);
  if (parsed.success) return { change: candidate, problem: null };
  const issue = parsed.error.issues[0]!;
  const last = String(issue.path.at(-1) ?? "");
  const field = issue.path.includes("team") && (last === "slug" || last === "name") ? `Team ${last}` : (FIELD_LABELS[last] ?? "This change");
  return { change: null, problem: `${field}: ${issue.message}.` };
}

interface CommonProps {
  canManage: boolean;
  manageNoticeId: string;
  onSaved: (result: CatalogChangeResultDto) => void;
}

type TeamChoice = { choice: "none" } | { choice: "existing"; teamId: string } | { choice: "new"; slug: string; name: string };

function teamTarget(value: TeamChoice) {
  switch (value.choice) {
    case "none":
      return { type: "none" as const };
    case "existing":
      return { type: "existing" as const, teamId: value.teamId };
    case "new":
      return { type: "new" as const, slug: value.slug, name: value.name };
  }
}

/** A team: none, one of the existing ones, or a new one with its slug and name. */
function TeamPicker({ teams, value, onChange, label = "Team" }: { teams: CatalogTeamDto[]; value: TeamChoice; onChange: (next: TeamChoice) => void; label?: string }) {
  const selectValue = value.choice === "existing" ? value.teamId : value.choice;
  return (
    <div className="flex flex-col gap-3">
      <label className={labelClasses}>
        {label}
        <select
          className={fieldClasses}
          value={selectValue}
          onChange={(event) => {
            const next = event.target.value;
            onChange(next === "none" ? { choice: "none" } : next === "new" ? { choice: "new", slug: "", name: "" } : { choice: "existing", teamId: next });
          }}
        >
          <option value="none">No team</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name} ({team.slug})
            </option>
          ))}
          <option value="new">A new team…</option>
        </select>
      </label>
      {value.choice === "new" ? (
        <div className="grid grid-cols-2 gap-3">
          <label className={labelClasses}>
            Team name
            <input className={fieldClasses} value={value.name} onChange={(event) => onChange({ ...value, name: event.target.value })} />
          </label>
          <label className={labelClasses}>
            Team slug
            <input className={fieldClasses} value={value.slug} onChange={(event) => onChange({ ...value, slug: event.target.value })} spellCheck={false} />
          </label>
        </div>
      ) : null}
    </div>
  );
}

function RadioOption({ name, checked, onChange, children }: { name: string; checked: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label className="flex items-center gap-2 text-sm text-fg">
      <input type="radio" name={name} checked={checked} onChange={onChange} className="size-4" />
      {children}
    </label>
  );
}

/** What the "bind to" fields describe: an existing service or a new one (with its team). */
function useServiceTarget(services: CatalogServiceDto[], current: string | null, suggestedName: string) {
  const [mode, setMode] = useState<"existing" | "new">(services.length > 0 ? "existing" : "new");
  const [serviceId, setServiceId] = useState(services.find((service) => service.id !== current)?.id ?? services[0]?.id ?? "");
  const [slug, setSlug] = useState(suggestedName.toLowerCase().replace(/[^a-z0-9-]+/g, "-"));
  const [name, setName] = useState(suggestedName);
  const [team, setTeam] = useState<TeamChoice>({ choice: "none" });
  const target = mode === "existing" ? { type: "existing" as const, serviceId } : { type: "new" as const, slug, name, team: teamTarget(team) };
  return { target, fields: { mode, setMode, serviceId, setServiceId, slug, setSlug, name, setName, team, setTeam } };
}

/** The "bind to" fields: an existing service from a list, or a new one with name, slug and team. */
function ServiceTargetFields({ services, teams, fields }: { services: CatalogServiceDto[]; teams: CatalogTeamDto[]; fields: ReturnType<typeof useServiceTarget>["fields"] }) {
  const radioName = useId();
  const { mode, setMode, serviceId, setServiceId, slug, setSlug, name, setName, team, setTeam } = fields;
  return (
    <>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-fg">Bind to</legend>
        <RadioOption name={radioName} checked={mode === "existing"} onChange={() => setMode("existing")}>
          An existing service
        </RadioOption>
        <RadioOption name={radioName} checked={mode === "new"} onChange={() => setMode("new")}>
          A new service
        </RadioOption>
      </fieldset>
      {mode === "existing" ? (
        <label className={labelClasses}>
          Service
          <select className={fieldClasses} value={serviceId} onChange={(event) => setServiceId(event.target.value)}>
            {services.map((service) => (
              <option key={service.id} value={service.id}>
                {service.name} ({service.slug})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3">
            <label className={labelClasses}>
              Name
              <input className={fieldClasses} value={name} onChange={(event) => setName(event.target.value)} />
            </label>
            <label className={labelClasses}>
              Slug
              <input className={fieldClasses} value={slug} onChange={(event) => setSlug(event.target.value)} spellCheck={false} />
            </label>
          </div>
          <TeamPicker teams={teams} value={team} onChange={setTeam} />
        </>
      )}
    </>
  );
}

/** Bind a repository to an existing service or to a new one. */
export function BindRepositoryDialog({ repository, services, teams, ...common }: CommonProps & { repository: CatalogRepositoryDto; services: CatalogServiceDto[]; teams: CatalogTeamDto[] }) {
  const { target, fields } = useServiceTarget(services, repository.service?.id ?? null, repository.fullName.split("/").pop()!);
  const form = formState({ kind: "bind-repository", repositoryId: repository.id, target });
  const current = repository.service ? `It is bound to service ${repository.service.slug} now${repository.bindingOrigin === "convention" ? ", by convention" : ", by hand"}.` : "It is not bound to any service now.";

  return (
    <CatalogChangeDialog
      {...common}
      triggerLabel="Bind…"
      triggerAccessibleName={`Bind ${repository.fullName} to a service`}
      title={`Bind ${repository.fullName} to a service`}
      description={`${current} Its deployments and incidents follow the binding; a binding made here is kept by later ingestion.`}
      form={form}
    >
      <ServiceTargetFields services={services} teams={teams} fields={fields} />
    </CatalogChangeDialog>
  );
}

/** Bind a GitOps app or a live workload to an existing service or to a new one (a manual binding). */
export function BindObjectDialog({ object, services, teams, ...common }: CommonProps & { object: CatalogObjectDto; services: CatalogServiceDto[]; teams: CatalogTeamDto[] }) {
  const { target, fields } = useServiceTarget(services, object.service?.id ?? null, object.name);
  const form = formState({ kind: "bind-object", object: { type: object.type, id: object.id }, target });
  const current = object.service
    ? `It counts for service ${object.service.slug} now${object.binding?.origin === "manual" ? ", bound by hand" : object.binding ? ", bound by convention" : ""}.`
    : "It counts for no service now: no binding, annotation or name matched one.";
  const follows = object.type === "gitops-app" ? "Its deployments and drift episodes follow the binding" : "Its drift episodes follow the binding (a push-based workload's drift is observable only while it is bound)";
  return (
    <CatalogChangeDialog
      {...common}
      triggerLabel="Bind…"
      triggerAccessibleName={`Bind ${object.display} to a service`}
      title={`Bind ${object.display} to a service`}
      description={`${current} ${follows}; a binding made here is kept by later ingestion, whatever the object's annotation or name says.`}
      form={form}
    >
      <ServiceTargetFields services={services} teams={teams} fields={fields} />
    </CatalogChangeDialog>
  );
}

/** Remove a manual binding of a GitOps app or workload; it is unmapped until a convention matches it again. */
export function UnbindObjectDialog({ object, ...common }: CommonProps & { object: CatalogObjectDto }) {
  return (
    <CatalogChangeDialog
      {...common}
      triggerLabel="Unbind…"
      triggerAccessibleName={`Remove the manual binding of ${object.display}`}
      title={`Remove the manual binding of ${object.display}`}
      description={`It is bound to service ${object.service?.slug ?? "—"} by hand now. Without the binding its rows count for no service until a sync binds it again by its annotation or name.`}
      form={{ change: { kind: "unbind-object", object: { type: object.type, id: object.id } }, problem: null }}
    />
  );
}

/** Put a service in another team (or a new one, or none). */
export function MoveServiceDialog({ service, teams, ...common }: CommonProps & { service: CatalogServiceDto; teams: CatalogTeamDto[] }) {
  const [team, setTeam] = useState<TeamChoice>(service.team ? { choice: "existing", teamId: service.team.id } : { choice: "none" });
  const form = formState({ kind: "move-service", serviceId: service.id, team: teamTarget(team) });
  return (
    <CatalogChangeDialog
      {...common}
      triggerLabel="Change team…"
      triggerAccessibleName={`Change team of ${service.slug}`}
      title={`Change the team of ${service.name}`}
      description={service.team ? `It belongs to team ${service.team.name} now. Team views count its deployments for the team it is in.` : "It belongs to no team now."}
      form={form}
    >
      <TeamPicker teams={teams} value={team} onChange={setTeam} />
    </CatalogChangeDialog>
  );
}

/** Say whether an environment name is production, and optionally record it under another name. */
export function ClassifyEnvironmentDialog({ environment, ...common }: CommonProps & { environment: CatalogEnvironmentDto }) {
  const radioName = useId();
  const hintId = useId();
  const now = environment.classification;
  const [isProduction, setIsProduction] = useState(now.isProduction);
  const [rename, setRename] = useState(now.environment === environment.name ? "" : now.environment);
  const form = formState({ kind: "classify-environment", name: environment.name, isProduction, environment: rename.trim() });
  const how = now.by === "rule" ? "by an admin rule" : now.by === "production-pattern" ? "by the PRODUCTION_ENVIRONMENTS pattern" : "by default";
  return (
    <CatalogChangeDialog
      {...common}
      triggerLabel="Classify…"
      triggerAccessibleName={`Classify environment ${environment.name}`}
      title={`Classify environment “${environment.name}”`}
      description={`It counts as ${now.isProduction ? "production" : "non-production"} now, ${how}. A rule applies to the deployments recorded so far and to every later one.`}
      form={form}
    >
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-fg">Deployments to “{environment.name}” are</legend>
        <RadioOption name={radioName} checked={isProduction} onChange={() => setIsProduction(true)}>
          Production
        </RadioOption>
        <RadioOption name={radioName} checked={!isProduction} onChange={() => setIsProduction(false)}>
          Not production
        </RadioOption>
      </fieldset>
      <label className={labelClasses}>
        Record as environment (optional)
        <input className={fieldClasses} value={rename} onChange={(event) => setRename(event.target.value)} placeholder={environment.name} spellCheck={false} aria-describedby={hintId} />
      </label>
      <p id={hintId} className="-mt-2 text-xs text-muted">
        For example record <code>live</code> as <code>production</code>, so both form one deployment history. Leave empty to keep the name.
      </p>
    </CatalogChangeDialog>
  );
}

/** Remove an admin rule; the names it matched fall back to the pattern or to non-production. */
export function RemoveRuleDialog({ rule, ...common }: CommonProps & { rule: CatalogEnvironmentRuleDto }) {
  const label = rule.name ?? rule.pattern;
  return (
    <CatalogChangeDialog
      {...common}
      triggerLabel="Remove…"
      triggerAccessibleName={`Remove the rule for ${label}`}
      title={`Remove the rule for “${label}”`}
      description="Deployments it classified go back to the PRODUCTION_ENVIRONMENTS pattern, or to non-production, under the name their source reported."
      form={{ change: { kind: "remove-environment-rule", ruleId: rule.id }, problem: null }}
    />
  );
}
