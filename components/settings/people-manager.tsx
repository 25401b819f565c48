"use client";

import { type FormEvent, useDeferredValue, useId, useState } from "react";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { ApiError } from "@/lib/queries/api-fetch";
import { type IdentityDto, type IdentityKindValue, type PersonDto, type RoleValue, type UserRowDto, IDENTITY_KIND_VALUES, ROLE_VALUES, peopleKeys, peopleMutations, peopleQueryOptions } from "@/lib/queries/people";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

const ROLE_LABELS: Record<RoleValue, string> = { VIEWER: "Viewer", ENGINEER: "Engineer", APPROVER: "Approver", ADMIN: "Admin" };
const KIND_LABELS: Record<IdentityKindValue, string> = { GITHUB: "GitHub", EMAIL: "E-mail", ARGOCD: "Argo CD" };

const dateTime = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" });

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.status === 403 ? "Only admins can change people and roles." : error.message;
  return error instanceof Error ? error.message : "The change failed.";
}

/** One mutation runner for the card: every change refreshes the list and says what happened, or why not. */
function usePeopleChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (run: () => Promise<{ message: string }>) => run(),
    onSettled: async () => await queryClient.invalidateQueries({ queryKey: peopleKeys.all }),
  });
}

export function PeopleManager() {
  const { data } = useSuspenseQuery(peopleQueryOptions(""));
  const change = usePeopleChange();
  return (
    <div className="flex flex-col">
      <div aria-live="polite" className="px-5 pt-3 empty:hidden">
        {change.isError ? (
          <p role="alert" className="rounded-md border border-danger-fg/30 bg-danger-bg px-3 py-2 text-sm text-danger-fg">
            {describe(change.error)}
          </p>
        ) : change.data ? (
          <p role="status" className="text-sm text-fg">
            {change.data.message}
          </p>
        ) : null}
      </div>
      <UsersTable users={data.users} change={change} />
      <PersonsSection change={change} />
    </div>
  );
}

type Change = ReturnType<typeof usePeopleChange>;

function UsersTable({ users, change }: { users: UserRowDto[]; change: Change }) {
  return (
    <div className="overflow-x-auto px-5 py-4">
      <table className="w-full min-w-[880px] text-left text-sm">
        <caption className="mb-2 text-left text-sm font-semibold text-fg">Users</caption>
        <thead className="border-b border-line text-xs text-muted">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">User</th>
            <th scope="col" className="py-2 pr-3 font-medium">Role</th>
            <th scope="col" className="py-2 pr-3 font-medium">Person and identities</th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">Sessions</th>
            <th scope="col" className="py-2 pr-3 font-medium">Last sign-in</th>
            <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {users.map((user) => (
            <tr key={user.id} className={user.disabled ? "text-muted" : undefined}>
              <th scope="row" className="py-2.5 pr-3 align-top font-normal">
                <div className="font-medium text-fg">
                  {user.name} {user.isSelf ? <span className="text-xs font-normal text-muted">(you)</span> : null}
                </div>
                <div className="text-xs whitespace-nowrap text-muted">{user.email}</div>
                {user.disabled ? <Badge tone="danger">Disabled</Badge> : null}
              </th>
              <td className="py-2.5 pr-3 align-top">
                <select
                  aria-label={`Role of ${user.name}`}
                  value={user.role}
                  disabled={change.isPending}
                  onChange={(event) => {
                    // Read now: the controlled select snaps back to the stored role before the request runs.
                    const role = event.target.value as RoleValue;
                    change.mutate(() => peopleMutations.changeRole(user.id, role));
                  }}
                  className="rounded-md border border-line-strong bg-surface px-2 py-1 text-sm text-fg"
                >
                  {ROLE_VALUES.map((role) => (
                    <option key={role} value={role}>
                      {ROLE_LABELS[role]}
                    </option>
                  ))}
                </select>
              </td>
              <td className="py-2.5 pr-3 align-top">
                {user.person ? (
                  <>
                    <div className="text-fg">{user.person.displayName}</div>
                    <IdentityList identities={user.person.identities} />
                  </>
                ) : (
                  <span className="text-muted">No person yet (linked on the next linking pass)</span>
                )}
              </td>
              <td className="py-2.5 pr-3 text-right align-top tabular-nums">{user.activeSessions}</td>
              <td className="py-2.5 pr-3 align-top whitespace-nowrap">{user.lastSignInAt ? `${dateTime.format(new Date(user.lastSignInAt))} UTC` : <span className="text-muted">—</span>}</td>
              <td className="py-2.5 align-top">
                <div className="flex justify-end gap-2 whitespace-nowrap">
                  <Button
                    aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.name}`}
                    disabled={change.isPending}
                    onClick={() => change.mutate(() => peopleMutations.setDisabled(user.id, !user.disabled))}
                  >
                    {user.disabled ? "Enable" : "Disable"}
                  </Button>
                  <Button aria-label={`Revoke all sessions of ${user.name}`} disabled={change.isPending || user.activeSessions === 0} onClick={() => change.mutate(() => peopleMutations.revokeSessions(user.id))}>
                    Revoke sessions
                  </Button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IdentityList({ identities, onUnlink, owner }: { identities: IdentityDto[]; onUnlink?: (identity: IdentityDto) => void; owner?: string }) {
  if (identities.length === 0) return <span className="text-xs text-muted">No identities</span>;
  return (
    <ul className="mt-1 flex flex-wrap gap-1.5">
      {identities.map((identity) => (
        <li key={`${identity.kind}:${identity.value}`} className="inline-flex items-center gap-1 rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-fg">
          <span className="font-sans whitespace-nowrap text-muted">{KIND_LABELS[identity.kind]}</span>
          <span className="break-all">{identity.value}</span>
          {identity.manual ? <span className="font-sans text-muted" title="Set by an admin; automatic linking leaves it alone">· manual</span> : null}
          {onUnlink ? (
            <button type="button" aria-label={`Unlink ${identity.value} from ${owner}`} onClick={() => onUnlink(identity)} className="ml-0.5 rounded px-1 text-muted hover:bg-line hover:text-fg">
              ×
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The persons of the ingested data: search, link an identity, unlink one, merge two. */
function PersonsSection({ change }: { change: Change }) {
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search.trim());
  const { data } = useSuspenseQuery(peopleQueryOptions(query));
  const searchId = useId();
  return (
    <section aria-labelledby="persons-heading" className="border-t border-line px-5 py-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h3 id="persons-heading" className="text-sm font-semibold text-fg">
            Persons
          </h3>
          <p className="mt-1 max-w-2xl text-sm text-muted">
            Made from the data by the linking pass: a commit with both a login and an e-mail ties them, and a user&apos;s verified e-mail ties the account. Links you set here are
            marked manual and never undone automatically.
          </p>
        </div>
        <label htmlFor={searchId} className="flex flex-col gap-1 text-xs font-medium text-muted">
          Find a person
          <input id={searchId} type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Name, login or e-mail" className="w-64 rounded-md border border-line-strong bg-surface px-2 py-1 text-sm font-normal text-fg" />
        </label>
      </div>
      <p className="mt-2 text-xs text-muted">
        {data.personsTotal === 0 ? "No persons match." : `${Math.min(data.persons.length, data.personsTotal)} of ${data.personsTotal} persons shown.`}
      </p>
      <ul className="mt-2 divide-y divide-line">
        {data.persons.map((person) => (
          <PersonRow key={person.id} person={person} others={data.persons.filter((other) => other.id !== person.id)} change={change} />
        ))}
      </ul>
    </section>
  );
}

function PersonRow({ person, others, change }: { person: PersonDto; others: PersonDto[]; change: Change }) {
  const [kind, setKind] = useState<IdentityKindValue>("GITHUB");
  const [value, setValue] = useState("");
  const [into, setInto] = useState("");
  const link = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(() => peopleMutations.linkIdentity(person.id, { kind, value }), { onSuccess: () => setValue("") });
  };
  return (
    <li className="flex flex-wrap items-start gap-x-6 gap-y-2 py-3">
      <div className="min-w-56 flex-1">
        <div className="text-sm font-medium text-fg">
          {person.displayName}
          {person.userEmail ? <span className="ml-2 text-xs font-normal text-muted">account {person.userEmail}</span> : null}
        </div>
        <div className="text-xs text-muted">
          {person.commits} commits · {person.pullRequests} pull requests
        </div>
        <IdentityList identities={person.identities} owner={person.displayName} onUnlink={(identity) => change.mutate(() => peopleMutations.unlinkIdentity(person.id, identity))} />
      </div>
      <form onSubmit={link} className="flex items-center gap-1.5" aria-label={`Link an identity to ${person.displayName}`}>
        <select aria-label="Identity kind" value={kind} onChange={(event) => setKind(event.target.value as IdentityKindValue)} className="rounded-md border border-line-strong bg-surface px-2 py-1 text-sm text-fg">
          {IDENTITY_KIND_VALUES.map((option) => (
            <option key={option} value={option}>
              {KIND_LABELS[option]}
            </option>
          ))}
        </select>
        <input aria-label="Login, e-mail or user name" value={value} onChange={(event) => setValue(event.target.value)} className="w-44 rounded-md border border-line-strong bg-surface px-2 py-1 text-sm text-fg" />
        <Button type="submit" disabled={change.isPending || value.trim() === ""}>
          Link
        </Button>
      </form>
      {others.length > 0 ? (
        <div className="flex items-center gap-1.5">
          <select aria-label={`Merge ${person.displayName} into`} value={into} onChange={(event) => setInto(event.target.value)} className="max-w-48 rounded-md border border-line-strong bg-surface px-2 py-1 text-sm text-fg">
            <option value="">Merge into…</option>
            {others.map((other) => (
              <option key={other.id} value={other.id}>
                {other.displayName}
              </option>
            ))}
          </select>
          <Button disabled={change.isPending || into === ""} onClick={() => change.mutate(() => peopleMutations.merge(person.id, into), { onSuccess: () => setInto("") })}>
            Merge
          </Button>
        </div>
      ) : null}
    </li>
  );
}
