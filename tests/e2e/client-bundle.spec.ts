import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { expect, test } from "./fixtures";

/** Every file the browser may download: the production build's static output. */
function clientFiles(): string[] {
  const root = path.resolve(".next/static");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|css|json|map)$/.test(entry.name)) files.push(full);
    }
  };
  walk(root);
  return files;
}

/**
 * Strings that only exist in server modules and survive minification (SQL, messages, package
 * names): if one shows up in a client file, a server module was bundled for the browser.
 */
const SERVER_ONLY_MARKERS = [
  "pg_advisory_xact_lock", // lib/audit, lib/ingest
  "DATABASE_URL is not set in this process", // lib/db/client
  "@prisma/adapter-pg",
  "pg-boss",
  "is required once a real source is configured", // lib/security/secrets
  "Demo accounts have public passwords", // lib/data/integrations
  "aes-256-gcm", // lib/security/credentials
  "sandbox-token", // the sandbox's accepted token
  "its domain may not create one", // lib/auth/oauth-gate (refusal reasons, server-side only)
  "person linking", // lib/data/people (the linking pass)
  "postgres:postgres@", // a database URL with credentials, as the embedded one has
];

/** OAuth client secrets, when this run configures a provider: they must stay on the server. */
const OAUTH_SECRETS = [process.env.AUTH_GITHUB_CLIENT_SECRET, process.env.AUTH_OIDC_CLIENT_SECRET].filter((value): value is string => !!value);

test("no secret and no server-only module reaches the browser's files", async () => {
  // The installation's own secrets, generated into the run's data folder by npm start.
  const secrets = JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, "secrets.json"), "utf8")) as { authSecret: string; encryptionKey: string };
  const needles = [...SERVER_ONLY_MARKERS, secrets.authSecret, secrets.encryptionKey, ...DEMO_USERS.map((user) => user.password), ...OAUTH_SECRETS];
  const files = clientFiles();
  expect(files.length).toBeGreaterThan(5);
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const needle of needles) if (text.toLowerCase().includes(needle.toLowerCase())) found.push(`${path.relative(".next/static", file)}: ${needle.length > 24 ? `${needle.slice(0, 4)}…` : needle}`);
  }
  expect(found).toEqual([]);
});
