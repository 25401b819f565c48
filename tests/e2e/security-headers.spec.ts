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

  // Next.js must have stamped its own scripts with this response's nonce, or the page would not hydrate.
  const scriptNonces = await page.locator("script").evaluateAll((scripts) =>
    scripts.map((script) => (script as HTMLScriptElement).nonce),
  );
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(scriptNonces.every((value) => value === nonce)).toBe(true);
});

test("every response gets a fresh nonce", async ({ request }) => {
  const first = (await request.get("/")).headers()["content-security-policy"];
  const second = (await request.get("/")).headers()["content-security-policy"];
  const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
  expect(nonceOf(first)).toBeTruthy();
  expect(nonceOf(first)).not.toBe(nonceOf(second));
});
