/** Every environment variable the app reads: one zod schema, checked at start-up and read through `env()`. */
import { isIP } from "node:net";
import os from "node:os";
import { z } from "zod";
import { AE_TITLE } from "./ae-title";

export const DEFAULT_DATABASE_URL = "file:./data/tumorboard.db";

export type RawEnv = Readonly<Record<string, string | undefined>>;

/** A rule on the variable's text: `parse` gives the value, or undefined when the text is not `requirement`. */
function rule<T>(requirement: string, parse: (text: string) => T | undefined) {
  return z.string().transform((text, ctx) => {
    const value = parse(text);
    if (value !== undefined) return value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be ${requirement}` });
    return z.NEVER;
  });
}

const integerFrom = (min: number, max: number, requirement = `an integer from ${min} to ${max}`) =>
  rule(requirement, (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    return value >= min && value <= max ? value : undefined;
  });

const MAX_MB = 1_048_576;
const megabytes = rule(`a number of MB above 0 and at most ${MAX_MB}`, (text) => {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  return value > 0 && value <= MAX_MB ? value : undefined;
});

const oneOf = <T extends string>(values: readonly [T, ...T[]]) => z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(", ")}` }) });

const urlOf = (protocols: readonly string[], requirement: string) =>
  rule(requirement, (text) => (URL.canParse(text) && protocols.includes(new URL(text).protocol) ? text : undefined));

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const POSTGRES_SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAIL_ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;
const NAMED_MAIL_ADDRESS = /^[^<>]*<[^\s<>@]+@[^\s<>@]+>$/;
const PROXY_RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"];

const databaseUrl = rule("file:<path> (SQLite) or a postgresql:// URL (PostgreSQL) whose optional ?schema= is a plain name", (text) => {
  if (/^file:./.test(text)) return text;
  if (!/^postgres(ql)?:\/\//.test(text) || !URL.canParse(text)) return undefined;
  const schema = new URL(text).searchParams.get("schema");
  return schema === null || POSTGRES_SCHEMA_NAME.test(schema) ? text : undefined;
});

/** An address, a subnet (bits or netmask) or one of Express's range names. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)) || (family === 4 && isIP(prefix) === 4);
}

/** A whole number is a hop count for Express; as a string it would be read as the address 0.0.0.1. */
const trustProxy = rule(
  `a number of proxy hops, or a comma-separated list of addresses, subnets or ${PROXY_RANGE_NAMES.join(", ")}`,
  (text): number | string | undefined => {
    if (/^\d+$/.test(text)) return Number(text);
    return text.split(",").every((entry) => isProxyAddress(entry.trim())) ? text : undefined;
  },
);

/** A comma-separated list of origins, each exactly as a browser sends it in Origin (no path, no trailing slash). */
const corsOrigins = rule("a comma-separated list of origins such as https://viewer.example.org (scheme, host and port only)", (text): string[] | undefined => {
  const origins = text
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  return origins.every((o) => URL.canParse(o) && ["http:", "https:"].includes(new URL(o).protocol) && new URL(o).origin === o) ? origins : undefined;
});

/** An empty variable counts as unset, as `FOO=` in a shell or compose file usually means. */
const variable = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema);

const envSchema = z.object({
  PORT: variable(integerFrom(1, 65535).default("3000")),
  HOST: variable(rule("an IP address or host name", (text) => (isIP(text) !== 0 || HOST_NAME.test(text) ? text : undefined)).optional()),
  DATABASE_URL: variable(databaseUrl.default(DEFAULT_DATABASE_URL)),
  NODE_ENV: variable(oneOf(["development", "production", "test"]).optional()),
  SEED_DEMO: variable(oneOf(["0", "1"]).optional()),
  TRUST_PROXY: variable(trustProxy.optional()),
  LOG_LEVEL: variable(oneOf(["info", "warn", "error"]).default("info")),
  STORAGE_DIR: variable(z.string().default("data/storage")),
  ATTACHMENT_MAX_MB: variable(megabytes.default("50")),
  CASE_DUE_DAYS: variable(integerFrom(1, 365, "a whole number of days from 1 to 365").default("7")),
  // Whole MB: the quota is compared with a case's total in BigInt bytes.
  IMAGING_QUOTA_MB: variable(integerFrom(1, MAX_MB, `a whole number of MB from 1 to ${MAX_MB}`).default("4096")),
  IMAGING_MAX_FILE_MB: variable(megabytes.default("1024")),
  DICOM_PORT: variable(integerFrom(1, 65535).optional()),
  DICOM_WORKERS: variable(integerFrom(1, Number.MAX_SAFE_INTEGER, "a positive integer").default(() => String(os.availableParallelism()))),
  REDIS_URL: variable(urlOf(["redis:", "rediss:"], "a redis:// or rediss:// URL").optional()),
  SLIDE_MAX_MB: variable(megabytes.default("4096")),
  OCR_TIMEOUT_SECONDS: variable(integerFrom(1, 3600, "a whole number of seconds from 1 to 3600").default("60")),
  SMTP_URL: variable(urlOf(["smtp:", "smtps:"], "an smtp:// or smtps:// URL").optional()),
  MAIL_FROM: variable(
    rule("an email address, or a name and <address>", (text) => (MAIL_ADDRESS.test(text) || NAMED_MAIL_ADDRESS.test(text) ? text : undefined)).default(
      "Tumor Board <no-reply@localhost>",
    ),
  ),
  PUBLIC_URL: variable(urlOf(["http:", "https:"], "an http:// or https:// URL").optional()),
  // Browser origins (scheme://host[:port]) allowed to call the case DICOMweb services cross-origin, e.g. an OHIF viewer; none by default.
  DICOMWEB_CORS_ORIGINS: variable(corsOrigins.default("")),
  // Where the audit chain's head is anchored outside the database (default: audit-anchors.jsonl in STORAGE_DIR), and an optional external sink.
  AUDIT_ANCHOR_FILE: variable(z.string().optional()),
  AUDIT_ANCHOR_URL: variable(urlOf(["http:", "https:"], "an http:// or https:// URL").optional()),
  AUDIT_ANCHOR_SECONDS: variable(integerFrom(1, 60, "a whole number of seconds from 1 to 60").default("60")),
  // Set by npm for `npm start`; reported by /healthz.
  npm_package_version: variable(z.string().optional()),
});

export type AppEnv = z.output<typeof envSchema>;
export type EnvName = keyof AppEnv;
const ENV_NAMES = Object.keys(envSchema.shape) as EnvName[];

export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment: ${problems.join("; ")}`);
    this.name = "EnvError";
  }
}

/** Passwords in URLs (database, SMTP, Redis) stay out of error messages. */
const withoutPassword = (text: string) => text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^/]*@/i, "$1***@");

const problem = (name: string, message: string, raw: string | undefined) => `${name} ${message} (got ${JSON.stringify(withoutPassword(raw ?? ""))})`;

/** The whole environment, with defaults; throws an EnvError naming every invalid variable. */
export function validateEnv(source: RawEnv = process.env): AppEnv {
  const raw = Object.fromEntries(ENV_NAMES.map((name) => [name, source[name]]));
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => problem(String(issue.path[0]), issue.message, raw[String(issue.path[0])])));
}

/** For entry points: names each invalid variable on stderr and exits 1. */
export function exitOnInvalidEnv(source: RawEnv = process.env): void {
  try {
    validateEnv(source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

// Tests change process.env while running, so each variable is parsed again
// only when its text differs from the last time it was read.
const lastRead = new Map<EnvName, { raw: string | undefined; value: unknown }>();

/** One variable, validated, with its default. Reads `source` (process.env unless given) on every call. */
export function env<Name extends EnvName>(name: Name, source: RawEnv = process.env): AppEnv[Name] {
  const raw = source[name];
  const last = lastRead.get(name);
  if (last && last.raw === raw) return last.value as AppEnv[Name];
  const result = envSchema.shape[name].safeParse(raw);
  if (!result.success) throw new EnvError(result.error.issues.map((issue) => problem(name, issue.message, raw)));
  lastRead.set(name, { raw, value: result.data });
  return result.data as AppEnv[Name];
}

/** The on-premise gateway (`npm run gateway`) is a program of its own, run inside the hospital; these are all it reads. */
const gatewayEnvSchema = z.object({
  GATEWAY_PLATFORM_URL: variable(urlOf(["http:", "https:"], "the platform's http:// or https:// URL")),
  GATEWAY_TOKEN: variable(
    rule("a gateway token (tbt_ and 43 characters), from npm run token:create -- --gateway", (text) =>
      /^tbt_[A-Za-z0-9_-]{43}$/.test(text) ? text : undefined,
    ),
  ),
  GATEWAY_PORT: variable(integerFrom(1, 65535).default("11112")),
  GATEWAY_QUEUE_DIR: variable(z.string().default("data/gateway")),
  GATEWAY_CALLING_AE_TITLES: variable(
    rule("a comma-separated list of AE titles", (text) => {
      const titles = text.split(",").map((t) => t.trim());
      return titles.every((t) => AE_TITLE.test(t)) ? titles : undefined;
    }).optional(),
  ),
  LOG_LEVEL: variable(oneOf(["info", "warn", "error"]).default("info")),
});

export type GatewayEnv = z.output<typeof gatewayEnvSchema>;

/** The gateway's environment, with defaults; throws an EnvError naming every invalid or missing variable. */
export function validateGatewayEnv(source: RawEnv = process.env): GatewayEnv {
  const raw = Object.fromEntries(Object.keys(gatewayEnvSchema.shape).map((name) => [name, source[name]]));
  const result = gatewayEnvSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      if (raw[name] === undefined) return `${name} is required`;
      return name === "GATEWAY_TOKEN" ? `${name} ${issue.message}` : problem(name, issue.message, raw[name]);
    }),
  );
}
