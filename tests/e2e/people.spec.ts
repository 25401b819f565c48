import pg from "pg";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import type { PeopleDto } from "@/lib/queries/people";
import { storageStatePath } from "./auth-state";
import { expect, gotoAndSettle, test } from "./fixtures";

/** The embedded database `npm start` serves for this run (playwright.config.ts: port + 1000). */
function databaseUrl(baseURL: string): string {
  return `postgresql://postgres:postgres@127.0.0.1:${Number(new URL(baseURL).port) + 1000}/postgres?sslmode=disable`;
}

const viewer = DEMO_USERS.find((user) => user.role === "VIEWER")!;

test.describe("People and roles, as an admin", () => {
  test.use({ storageState: storageStatePath("ADMIN") });

  test("an admin makes the demo viewer an engineer and back; both changes are in the audit trail", async ({ page, baseURL }) => {
    await gotoAndSettle(page, "/settings");
    const card = page.getByRole("region", { name: "People and roles" });
    await expect(card.getByRole("table", { name: "Users" })).toBeVisible();
    // Every demo user is a person, carrying their verified e-mail.
    const viewerRow = card.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(viewer.name) }) });
    await expect(viewerRow).toContainText(viewer.email);
    await expect(viewerRow.getByText(viewer.email, { exact: true }).last()).toBeVisible();

    const role = card.getByLabel(`Role of ${viewer.name}`);
    await expect(role).toHaveValue("VIEWER");
    await role.selectOption("ENGINEER");
    await expect(card.getByRole("status")).toHaveText(`${viewer.email} is now engineer.`);
    await expect(role).toHaveValue("ENGINEER");
    await role.selectOption("VIEWER");
    await expect(card.getByRole("status")).toHaveText(`${viewer.email} is now viewer.`);
    await card.screenshot({ path: "test-results/screenshots/settings-people-admin.png" });

    const client = new pg.Client({ connectionString: databaseUrl(baseURL!) });
    await client.connect();
    try {
      const { rows } = await client.query<{ before: { role: string }; after: { role: string }; actorDisplay: string }>(
        `SELECT "before", "after", "actorDisplay" FROM "AuditEvent" WHERE action = 'user.role.changed' AND "targetDisplay" = $1 AND "actorKind" = 'PERSON' ORDER BY seq DESC LIMIT 2`,
        [viewer.email],
      );
      expect(rows.map((row) => `${row.before.role}→${row.after.role} by ${row.actorDisplay}`)).toEqual(["ENGINEER→VIEWER by Avery Admin", "VIEWER→ENGINEER by Avery Admin"]);
    } finally {
      await client.end();
    }
  });

  test("the API lists the admin's own row, and every account is a person carrying its verified e-mail", async ({ request }) => {
    const people = (await (await request.get("/api/people")).json()) as PeopleDto;
    expect(people.users.every((user) => user.person !== null)).toBe(true);
    const self = people.users.find((user) => user.isSelf)!;
    expect(self.role).toBe("ADMIN");
    expect(self.person?.identities).toEqual([{ kind: "EMAIL", value: self.email, verified: true, manual: false }]);
  });
});

test.describe("People and roles, as a viewer", () => {
  test("a viewer sees no list and no controls, and the API answers 403", async ({ page, request }) => {
    await gotoAndSettle(page, "/settings");
    const card = page.getByRole("region", { name: "People and roles" });
    await expect(card).toContainText("Only admins can see and change users, roles and person links.");
    await expect(card.getByRole("table")).toHaveCount(0);
    await expect(card.getByRole("combobox")).toHaveCount(0);
    await expect(card.getByRole("button")).toHaveCount(0);
    expect((await request.get("/api/people")).status()).toBe(403);
    const someone = "00000000-0000-4000-8000-000000000000";
    expect((await request.post(`/api/users/${someone}/role`, { data: { role: "ADMIN" } })).status()).toBe(403);
    expect((await request.delete(`/api/users/${someone}/sessions`, { data: {} })).status()).toBe(403);
    expect((await request.post(`/api/people/${someone}/merge`, { data: { intoPersonId: someone } })).status()).toBe(403);
  });
});
