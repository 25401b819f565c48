import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import type { GatedAppsDto, SyncRequestDto } from "@/lib/queries/approvals";
import type { AuditEventsDto, AuditVerificationDto } from "@/lib/queries/audit";
import type { IntegrationsDto } from "@/lib/queries/integrations";
import { SANDBOX_ARGOCD_TOKEN } from "@/lib/ingest/integrations";
import { SYNC_CALLS_PATH } from "@/lib/sandbox/argocd/server/handle-request";
import { storageStatePath } from "./auth-state";
import { expect, gotoAndSettle, test, waitForIdleSandbox } from "./fixtures";

/**
 * Four-eyes approval of a GitOps sync, end to end on the sandbox (DESIGN §6): the demo engineer
 * requests a sync of an OutOfSync manual-sync Argo CD app, may not approve it (button and API), a
 * viewer may do nothing, the demo approver approves, the page follows Argo CD's operation to the
 * end, the sandbox's Argo CD received exactly one sync call, the app is Synced and Healthy, and the
 * audit trail holds every step with a chain that verifies. Serial: each step builds on the last.
 */

/** Manual-sync apps of the sandbox that may be synced today; mobile-bff sits behind a weekend deny window. */
const CANDIDATE_APPS = ["pricing-engine", "recommendations"];

const person = (role: "ENGINEER" | "APPROVER") => DEMO_USERS.find((user) => user.role === role)!.name;

/** What the steps share: the app, the revision and the request the engineer made. */
const flow: { appId?: string; appName?: string; revision?: string; requestId?: string } = {};

function requireFlow(): Required<typeof flow> {
  const { appId, appName, revision, requestId } = flow;
  if (!appId || !appName || !revision || !requestId) throw new Error("the engineer's step did not complete");
  return { appId, appName, revision, requestId };
}

async function gatedApps(request: APIRequestContext): Promise<GatedAppsDto> {
  const response = await request.get("/api/sync-requests/gated-apps");
  expect(response.status()).toBe(200);
  return (await response.json()) as GatedAppsDto;
}

async function syncRequest(request: APIRequestContext, id: string): Promise<SyncRequestDto> {
  const response = await request.get(`/api/sync-requests/${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as SyncRequestDto;
}

function requestCard(page: Page, id: string): Locator {
  return page.locator(`article[data-request-id="${id}"]`).first();
}

test.describe.serial("approving a sync", () => {
  test.describe("as the engineer", () => {
    test.use({ storageState: storageStatePath("ENGINEER") });

    test("requests a sync of an OutOfSync manual-sync app with a reason, and may not approve it: the button says why, the API answers 403", async ({ page }) => {
      test.setTimeout(300_000);
      await waitForIdleSandbox(page.request);

      const gated = await gatedApps(page.request);
      const app = gated.apps.find((candidate) => CANDIDATE_APPS.includes(candidate.name) && candidate.syncStatus === "OutOfSync" && candidate.canRequest && candidate.openRequestId === null);
      expect(app, `one of ${CANDIDATE_APPS.join(", ")} is OutOfSync and may be requested: ${JSON.stringify(gated.apps.map(({ name, syncStatus, canRequest, whyNot }) => ({ name, syncStatus, canRequest, whyNot })))}`).toBeDefined();
      const { id: appId, name: appName, desiredRevision } = app!;
      expect(desiredRevision).not.toBeNull();
      Object.assign(flow, { appId, appName, revision: desiredRevision });

      await gotoAndSettle(page, "/approvals");
      await expect(page.getByTestId("auto-sync-count")).toHaveText(/^\d+ auto-synced apps? needs? no approval/);
      const row = page.locator(`tr[data-app-id="${appId}"]`);
      await row.getByRole("button", { name: `Request a sync of ${appName}` }).click();

      const dialog = page.getByRole("dialog", { name: `Request a sync of ${appName}` });
      await expect(dialog).toBeVisible();
      // The request binds to the desired revision, which the dialog names.
      await expect(dialog.getByTestId("revision").first()).toHaveAttribute("title", desiredRevision!);
      const submit = dialog.getByRole("button", { name: "Request sync", exact: true });
      await expect(submit).toBeDisabled();
      await dialog.getByLabel("Reason").fill("e2e: ship the pending price rules");
      await submit.click();
      await expect(dialog).toBeHidden();

      // The new request's card, pointed at by the URL the way an audit link would.
      await expect(page).toHaveURL(/[?&]request=[0-9a-f-]{36}/);
      const requestId = new URL(page.url()).searchParams.get("request")!;
      flow.requestId = requestId;
      const card = requestCard(page, requestId);
      await expect(card).toBeVisible();
      await expect(card.getByTestId("request-status")).toHaveText("Waiting for approval");
      await expect(card.getByTestId("request-reason")).toHaveText("e2e: ship the pending price rules");
      await expect(card.getByTestId("approval-count")).toContainText(/^0 of \d+ approvals?/);
      await expect(card.getByRole("link", { name: "Drift diff" })).toHaveAttribute("href", `/drift?target=app-${appId}`);

      // Four eyes: the requester sees Approve refused, with the reason as text, not only a tooltip.
      const approve = card.getByRole("button", { name: `Approve the sync of ${appName}` });
      await expect(approve).toBeDisabled();
      await expect(card.getByTestId("refused-reason")).toBeVisible();
      await expect(card.getByTestId("refused-reason")).not.toHaveText("");
      await expect(approve).toHaveAccessibleDescription((await card.getByTestId("refused-reason").textContent())!);
      await expect(card.getByRole("button", { name: `Withdraw the request to sync ${appName}` })).toBeEnabled();

      // And the server refuses it too, whatever the page shows.
      const direct = await page.request.post(`/api/sync-requests/${requestId}/decision`, { data: { decision: "approve", comment: "" } });
      expect(direct.status()).toBe(403);
      const refusal = (await direct.json()) as { error: { message: string } };
      expect(refusal.error.message).toMatch(/four eyes|another person/i);
      expect((await syncRequest(page.request, requestId)).status).toBe("PENDING");
    });
  });

  test.describe("as a viewer", () => {
    test("sees the request, but no enabled Request sync, Approve or Reject button", async ({ page }) => {
      const { requestId, appName } = requireFlow();
      await gotoAndSettle(page, `/approvals?request=${requestId}`);
      const card = requestCard(page, requestId);
      await expect(card).toBeVisible();
      await expect(card.getByRole("button", { name: `Approve the sync of ${appName}` })).toBeDisabled();
      await expect(card.getByRole("button", { name: `Reject the sync of ${appName}` })).toBeDisabled();
      await expect(card.getByTestId("refused-reason")).toBeVisible();
      await expect(card.getByRole("button", { name: /^Withdraw/ })).toHaveCount(0);
      const requestButtons = page.getByTestId("gated-apps").getByRole("button", { name: /^Request a sync of / });
      for (const button of await requestButtons.all()) await expect(button).toBeDisabled();
      await expect(page.getByTestId("request-why-not").first()).toBeVisible();
      // No badge: a viewer can approve nothing.
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" })).toHaveText("Approvals");
    });
  });

  test.describe("as the approver", () => {
    test.use({ storageState: storageStatePath("APPROVER") });

    test("approves; the page follows Argo CD's operation to the end and shows the synced revision is the approved one; Argo CD got exactly one sync call; the app is Synced and Healthy", async ({ page }) => {
      test.setTimeout(240_000);
      const { requestId, appId, appName, revision } = requireFlow();

      await gotoAndSettle(page, "/approvals");
      // The badge counts what this person could approve.
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Approvals, \d+ waiting for you$/ })).toBeVisible();

      await gotoAndSettle(page, `/approvals?request=${requestId}`);
      const card = requestCard(page, requestId);
      await expect(card).toBeInViewport();
      await card.getByRole("button", { name: `Approve the sync of ${appName}` }).click();
      const dialog = page.getByRole("dialog", { name: `Approve the sync of ${appName}?` });
      await dialog.getByLabel(/Comment/).fill("e2e: reviewed the diff");
      await dialog.getByRole("button", { name: "Approve", exact: true }).click();
      await expect(dialog).toBeHidden();

      // Live follow: the card stays on the page (open, then in history) and ends with the verdict.
      const progress = page.locator(`article[data-request-id="${requestId}"] [data-testid="execution-progress"]`).first();
      await expect(progress).toBeVisible();
      await expect(progress.getByRole("status")).toBeVisible();
      const outcome = page.locator(`article[data-request-id="${requestId}"] [data-testid="sync-outcome"]`).first();
      await expect(outcome).toHaveText(`✓ Synced revision ${revision.slice(0, 7)} = the approved revision.`, { timeout: 180_000 });

      const finished = await syncRequest(page.request, requestId);
      expect(finished.status).toBe("SUCCEEDED");
      expect(finished.operation?.phase).toBe("Succeeded");
      expect(finished.operation?.syncedRevision).toBe(revision);
      expect(finished.approvals.map((approval) => [approval.approver.display, approval.decision, approval.comment])).toEqual([[person("APPROVER"), "APPROVE", "e2e: reviewed the diff"]]);
      await page.screenshot({ path: "test-results/screenshots/approvals-succeeded.png", fullPage: true });

      // Exactly once: the sandbox's Argo CD saw one sync call for the app, with the approved revision and naming this request.
      const integrations = (await (await page.request.get("/api/integrations")).json()) as IntegrationsDto;
      const argocd = integrations.integrations.find((integration) => integration.kind === "ARGOCD" && integration.name.startsWith("sandbox"));
      expect(argocd, "the sandbox's Argo CD integration").toBeDefined();
      const calls = await page.request.get(`${argocd!.baseUrl}${SYNC_CALLS_PATH}`, { headers: { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}` } });
      expect(calls.status()).toBe(200);
      const body = (await calls.json()) as { calls: { name: string; body: { revision?: string; infos?: { name: string; value: string }[] } }[] };
      const forApp = body.calls.filter((call) => call.name === appName);
      expect(forApp).toHaveLength(1);
      expect(forApp[0]!.body.revision).toBe(revision);
      expect(JSON.stringify(forApp[0]!.body.infos ?? [])).toContain(requestId);

      // The app itself, once ingested again: Synced at the approved revision and Healthy.
      await expect
        .poll(
          async () => {
            const app = (await gatedApps(page.request)).apps.find((candidate) => candidate.id === appId);
            return app ? `${app.syncStatus} ${app.healthStatus} ${app.syncedRevision}` : "gone";
          },
          { timeout: 60_000, intervals: [1_000, 2_000] },
        )
        .toBe(`Synced Healthy ${revision}`);
    });
  });

  test.describe("as an admin", () => {
    test.use({ storageState: storageStatePath("ADMIN") });

    test("the audit trail holds the request by the engineer, the approval by the approver and the execution, and its chain verifies", async ({ page }) => {
      test.setTimeout(120_000);
      const { requestId } = requireFlow();
      const response = await page.request.get(`/api/audit?action=${encodeURIComponent("sync.*")}&limit=200`);
      expect(response.status()).toBe(200);
      const { events } = (await response.json()) as AuditEventsDto;
      const ours = events.filter((event) => event.target.id === requestId).reverse();
      const actions = ours.map((event) => event.action);
      expect(ours.find((event) => event.action === "sync.requested")?.actor.display).toBe(person("ENGINEER"));
      expect(ours.find((event) => event.action === "sync.approved")?.actor.display).toBe(person("APPROVER"));
      // The engineer's refused approval is on the trail too.
      expect(actions).toContain("sync.approval.refused");
      // The worker's steps, in order after the approval: queued, started, the call to Argo CD, executed.
      for (const step of ["sync.execution.queued", "sync.execution.started", "sync.execution.called", "sync.executed"]) expect(actions, step).toContain(step);
      expect(actions.filter((action) => action === "sync.execution.called")).toHaveLength(1);
      const order = ["sync.requested", "sync.approved", "sync.execution.queued", "sync.execution.started", "sync.execution.called", "sync.executed"].map((action) => actions.indexOf(action));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(ours.find((event) => event.action === "sync.executed")?.outcome).toBe("success");
      // Audit links lead back to the request's card.
      expect(ours[0]!.links).toContainEqual(expect.objectContaining({ kind: "sync_request", href: `/approvals?request=${requestId}` }));

      const verification = await page.request.post("/api/audit/verification", { data: {} });
      expect(verification.status()).toBe(200);
      const result = (await verification.json()) as AuditVerificationDto;
      expect(result.status, JSON.stringify(result.firstBroken)).toBe("ok");

      // The Audit page shows the same steps with their people, and a verified chain.
      await gotoAndSettle(page, `/audit?action=${encodeURIComponent("sync.*")}`);
      await expect(page.getByTestId("audit-chain-badge")).toContainText(/Chain verified/);
      const table = page.getByTestId("audit-events");
      for (const [action, actor] of [
        ["sync.requested", person("ENGINEER")],
        ["sync.approval.refused", person("ENGINEER")],
        ["sync.approved", person("APPROVER")],
        ["sync.executed", "pipeline-health"],
      ] as const) {
        await expect(table.getByRole("row").filter({ hasText: action }).filter({ hasText: actor }).first()).toBeVisible();
      }
      await page.screenshot({ path: "test-results/screenshots/audit-sync-steps.png", fullPage: true });

      // The deep link from the trail opens the finished request, with its verdict.
      await gotoAndSettle(page, `/approvals?request=${requestId}`);
      const card = requestCard(page, requestId);
      await expect(card).toBeInViewport();
      await expect(card.getByTestId("request-status")).toHaveText("Synced");
    });
  });
});
