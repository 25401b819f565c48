import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { TableSkeleton } from "@/components/ui/skeleton";
import { PeopleManager } from "./people-manager";

/**
 * Settings → People and roles. Admins see every user (with e-mail, role, sessions) and the persons of
 * the ingested data, and change them; everyone else sees only what the card is for: the list holds
 * every user's e-mail address, which other roles have no need to read (the API answers them 403).
 */
export function PeopleCard({ canManage }: { canManage: boolean }) {
  return (
    <Card aria-labelledby="people-heading">
      <CardHeader
        id="people-heading"
        title="People and roles"
        description="Who may sign in and with which role, and which GitHub logins, commit e-mails and Argo CD users are the same person (approvals and the audit trail rely on it). Every change is in the audit trail."
      />
      {canManage ? (
        <QueryBoundary name="People and roles" fallback={<TableSkeleton label="people" rows={4} columns={6} />}>
          <PeopleManager />
        </QueryBoundary>
      ) : (
        <CardBody>
          <p className="text-sm text-muted">Only admins can see and change users, roles and person links.</p>
        </CardBody>
      )}
    </Card>
  );
}
