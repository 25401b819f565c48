import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { getClock } from "@/lib/clock";
import { resolveDatabase } from "@/lib/cli/database";
import { createPrismaClient } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { upsertLocalAccount } from "@/lib/auth/local-accounts";
import { EnvError } from "@/lib/env";

const ROLES: Record<string, Role> = { viewer: "VIEWER", engineer: "ENGINEER", approver: "APPROVER", admin: "ADMIN" };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/**
 * `users add --email E --name N --role R [--password-stdin]`: creates (or updates) an e-mail and
 * password account, e.g. the first admin of a real installation. Without `--password-stdin` a random
 * password is generated and printed once.
 */
export async function runUsers(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new EnvError([`users: unknown subcommand ${JSON.stringify(sub ?? "")}; use \`users add --email E --name N --role viewer|engineer|approver|admin\``]);
  const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, "password-stdin": { type: "boolean" } } });
  const problems: string[] = [];
  const email = values.email?.trim() ?? "";
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) problems.push("--email: must be an e-mail address");
  const role = ROLES[(values.role ?? "").toLowerCase()];
  if (!role) problems.push("--role: must be viewer, engineer, approver or admin");
  const password = values["password-stdin"] ? await readStdin() : randomBytes(18).toString("base64url");
  if (password.length < 12) problems.push("password: must be at least 12 characters");
  if (problems.length > 0 || !role) throw new EnvError(problems);

  const database = await resolveDatabase();
  const db = createPrismaClient(database.url, { poolMax: 2 });
  try {
    const { created } = await upsertLocalAccount(db, { email, name: values.name?.trim() || email, role, password }, { clock: getClock(), actorDisplay: "cli", resetPassword: true });
    console.log(`${created ? "Created" : "Updated"} ${email} with role ${role.toLowerCase()}.`);
    if (!values["password-stdin"]) console.log(`Password (shown once): ${password}`);
    return 0;
  } finally {
    await db.$disconnect();
    await database.release();
  }
}
