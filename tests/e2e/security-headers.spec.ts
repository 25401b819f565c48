import { expect, test } from "./fixtures";

test("pages are served with a nonce CSP and the hardening headers", async ({ page }) => {
  const response = await page.goto("/");
  expect(response).not.toBeNull();
  const headers = response!.headers();

  const csp = headers["content-security-policy"];
  expect(csp).toBeDefined();
  const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp ?? "")?.[1];
  expect(nonce, "script-src carries a nonce").toBeTruthy();
  expect(csp).toMatch(/script-src [^;]*'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
  expect(Boolean(headers["x-frame-options"]) || /frame-ancestors 'none'/.test(csp ?? "")).toBe(true);

  // Next.js must have stamped every script of the server's HTML with this response's nonce, or the
  // page would not hydrate. (Chunks loaded later by those scripts need none: 'strict-dynamic'.)
  const html = await response!.text();
  const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
});

test("every response gets a fresh nonce", async ({ request }) => {
  const first = (await request.get("/")).headers()["content-security-policy"];
  const second = (await request.get("/")).headers()["content-security-policy"];
  const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  expect(nonceOf(first)).toBeTruthy();
  expect(nonceOf(first)).not.toBe(nonceOf(second));
});
