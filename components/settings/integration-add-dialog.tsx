"use client";

import { useId, useState } from "react";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { type CreateGithubIntegrationInput, createGithubIntegration, createGithubIntegrationSchema, integrationsKeys, integrationsQueryOptions } from "@/lib/queries/integrations";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote, ManageButton } from "./integration-actions";

const fieldClasses = "rounded-md border border-line-strong bg-surface px-3 py-2 text-sm font-normal text-fg aria-invalid:border-danger-fg";
const labelClasses = "text-sm font-medium text-fg";

type Field = "name" | "baseUrl" | "token" | "org" | "repositories" | "backfillDays";
type Values = Record<Field, string>;

const EMPTY: Values = { name: "", baseUrl: "https://api.github.com", token: "", org: "", repositories: "", backfillDays: "180" };

function toInput(values: Values): CreateGithubIntegrationInput {
  return {
    name: values.name,
    baseUrl: values.baseUrl,
    token: values.token,
    org: values.org,
    repositories: values.repositories.split(/[\s,]+/).filter(Boolean),
    backfillDays: values.backfillDays.trim() === "" ? Number.NaN : Number(values.backfillDays),
  };
}

/** Problems per field, from the schema the API validates with (so the form never sends what it refuses). */
function problemsOf(values: Values): Partial<Record<Field, string>> {
  const parsed = createGithubIntegrationSchema.safeParse(toInput(values));
  if (parsed.success) return {};
  const problems: Partial<Record<Field, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as Field | undefined;
    if (field && !problems[field]) problems[field] = issue.message;
  }
  return problems;
}

function TextField({ field, label, hint, type = "text", values, problems, touched, onChange, onBlur }: {
  field: Field;
  label: string;
  hint?: string;
  type?: "text" | "password" | "url" | "number";
  values: Values;
  problems: Partial<Record<Field, string>>;
  touched: boolean;
  onChange: (field: Field, value: string) => void;
  onBlur: (field: Field) => void;
}) {
  const id = useId();
  const problem = touched ? problems[field] : undefined;
  const multiline = field === "repositories";
  const common = {
    id,
    className: fieldClasses,
    value: values[field],
    "aria-invalid": problem ? true : undefined,
    "aria-describedby": [hint ? `${id}-hint` : null, problem ? `${id}-problem` : null].filter(Boolean).join(" ") || undefined,
    onBlur: () => onBlur(field),
  };
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className={labelClasses}>
        {label}
      </label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(event) => onChange(field, event.target.value)} />
      ) : (
        <input
          {...common}
          type={type}
          autoComplete={type === "password" ? "new-password" : "off"}
          spellCheck={false}
          inputMode={type === "number" ? "numeric" : undefined}
          onChange={(event) => onChange(field, event.target.value)}
        />
      )}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p id={`${id}-problem`} className="text-xs text-danger-fg">
          {label}: {problem}.
        </p>
      ) : null}
    </div>
  );
}

/** "Add GitHub integration": a form whose token is sent once, stored encrypted, and never shown again. */
export function AddIntegrationDialog() {
  const queryClient = useQueryClient();
  // The list's query says whether this viewer may add anything. Suspense rather than a plain
  // useQuery: a plain observer of the streamed (hydrated, still pending) query never saw its data.
  const { data } = useSuspenseQuery(integrationsQueryOptions());
  const canManage = data.canManage;
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Values>(EMPTY);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createGithubIntegration,
    onSuccess: async (result) => {
      setAdded(result.message);
      change(false);
      await queryClient.invalidateQueries({ queryKey: integrationsKeys.all });
    },
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setValues(EMPTY);
      setTouched({});
      setSubmitted(false);
      create.reset();
    }
  };
  const problems = problemsOf(values);
  const valid = Object.keys(problems).length === 0;
  const common = {
    values,
    problems,
    onChange: (field: Field, value: string) => {
      setValues((current) => ({ ...current, [field]: value }));
      if (create.error) create.reset();
    },
    onBlur: (field: Field) => setTouched((current) => ({ ...current, [field]: true })),
  };
  const shown = (field: Field) => submitted || !!touched[field];

  const trigger = (
    <ManageButton canManage={canManage} variant="primary">
      Add GitHub integration
    </ManageButton>
  );
  return (
    <div className="flex flex-col items-end gap-1">
      {canManage ? (
        <Dialog
          open={open}
          onOpenChange={change}
          trigger={trigger}
          title="Add GitHub integration"
          description="A GitHub (or GitHub Enterprise) source stored here, synced by the worker like the others. The token is encrypted with ENCRYPTION_KEY and never shown again."
          footer={
            <>
              <Button onClick={() => change(false)}>Cancel</Button>
              <Button
                variant="primary"
                disabled={create.isPending}
                onClick={() => {
                  setSubmitted(true);
                  if (valid) create.mutate(toInput(values));
                }}
              >
                {create.isPending ? "Adding…" : "Add integration"}
              </Button>
            </>
          }
        >
          <form
            className="flex max-h-[60vh] flex-col gap-3 overflow-y-auto pr-1"
            onSubmit={(event) => {
              event.preventDefault();
              setSubmitted(true);
              if (valid) create.mutate(toInput(values));
            }}
          >
            <TextField {...common} field="name" label="Name" hint="Lower-case letters, digits and dashes; github and sandbox are reserved." touched={shown("name")} />
            <TextField {...common} field="baseUrl" label="API base URL" type="url" hint="https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise." touched={shown("baseUrl")} />
            <TextField {...common} field="token" label="Token" type="password" hint="A fine-grained or classic token with read access to the repositories." touched={shown("token")} />
            <TextField {...common} field="org" label="Organisation" hint="Syncs every repository of this organisation or user." touched={shown("org")} />
            <TextField {...common} field="repositories" label="Repositories" hint="Or (also) these, as owner/name, separated by spaces, commas or new lines." touched={shown("repositories")} />
            <TextField {...common} field="backfillDays" label="Backfill days" type="number" hint="How far back the first sync reads: 1 to 3650 days." touched={shown("backfillDays")} />
            {/* Enter in a field submits; the visible button is in the footer. */}
            <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
            {/* What only the server knows (a name already taken, a missing ENCRYPTION_KEY) comes back in its own words. */}
            {create.error ? <ErrorNote error={create.error} /> : null}
          </form>
        </Dialog>
      ) : (
        trigger
      )}
      <p role="status" aria-live="polite" className="max-w-72 text-right text-xs text-success-fg">
        {added}
      </p>
    </div>
  );
}

/** Shown while the integrations load: the same button, not yet usable. */
export function AddIntegrationPlaceholder() {
  return (
    <Button variant="primary" disabled>
      Add GitHub integration
    </Button>
  );
}
