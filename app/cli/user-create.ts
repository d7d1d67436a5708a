/**
 * Bootstraps an account on a new install:
 *   npm run user:create -- --email a@b.org --role ADMIN [--name "..."] [--institution <id or English name>]
 *     [--locale en|zh-CN] [--time-zone Area/City] [--specialty X ...] [--password ...]
 * Without --password a strong one is generated and printed once.
 */
import "~/platform/check-env.server";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createInstance } from "i18next";
import { CreateUserSchema } from "~/features/identity/account-schemas";
import { institutionMismatch } from "~/features/identity/institutions";
import { i18nOptions, resources } from "~/i18n/resources";
import { createUser, findUserByEmail } from "~/features/identity/user-store.server";
import { recordAudit } from "~/features/audit/audit.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { disconnectDb, getDb } from "~/platform/db.server";
import { migrate } from "~/platform/migrate.server";
import { isWeakPassword } from "~/features/identity/password-strength.server";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    institution: { type: "string" },
    locale: { type: "string", default: "en" },
    "time-zone": { type: "string", default: "UTC" },
    specialty: { type: "string", multiple: true, default: [] },
    password: { type: "string" },
  },
});

const i18n = createInstance();
await i18n.init({ ...i18nOptions, resources, lng: "en" });

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

await migrate(resolveDatabaseTarget());
const db = getDb();
const institution = values.institution ? await db.institution.findFirst({ where: { OR: [{ id: values.institution }, { nameEn: values.institution }] } }) : null;
if (values.institution && !institution) fail(`No institution with id or English name "${values.institution}".`);

const generated = !values.password;
const password = values.password ?? randomBytes(18).toString("base64url");
const parsed = CreateUserSchema.safeParse({
  email: values.email,
  displayName: values.name ?? values.email,
  role: values.role,
  institutionId: institution?.id,
  specialties: values.specialty,
  preferredLocale: values.locale,
  timeZone: values["time-zone"],
  active: true,
  password,
});
if (!parsed.success) {
  fail(parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${i18n.t(issue.message)}`).join("\n"));
}
if (isWeakPassword(password, [parsed.data.email, parsed.data.displayName])) fail(`--password: ${i18n.t("admin:errors.passwordWeak")}`);
const mismatch = institutionMismatch(parsed.data.role, institution);
if (mismatch) fail(`--institution: ${i18n.t(mismatch)}`);
if (await findUserByEmail(db, parsed.data.email)) fail(`An account with email ${parsed.data.email} already exists.`);

const user = await createUser(db, parsed.data);
await recordAudit(db, {
  actor: null,
  action: "user.create",
  outcome: "success",
  entityType: "User",
  entityId: user.id,
  details: { email: user.email, role: user.role, via: "cli" },
});
await disconnectDb();
console.log(`Created ${user.role} ${user.email}.`);
if (generated) console.log(`Password (shown once): ${password}`);
