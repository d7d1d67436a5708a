import { afterEach, describe, expect, it, vi } from "vitest";
import { env, EnvError, validateEnv, validateGatewayEnv } from "~/platform/env.server";

function problemsOf(source: Record<string, string>): string {
  try {
    validateEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).message;
  }
  throw new Error(`accepted ${JSON.stringify(source)}`);
}

describe("environment schema", () => {
  it("gives the README's defaults when nothing is set", () => {
    expect(validateEnv({})).toMatchObject({
      PORT: 3000,
      HOST: undefined,
      DATABASE_URL: "file:./data/tumorboard.db",
      NODE_ENV: undefined,
      SEED_DEMO: undefined,
      TRUST_PROXY: undefined,
      LOG_LEVEL: "info",
      STORAGE_DIR: "data/storage",
      ATTACHMENT_MAX_MB: 50,
      CASE_DUE_DAYS: 7,
      IMAGING_QUOTA_MB: 4096,
      IMAGING_MAX_FILE_MB: 1024,
      DICOM_PORT: undefined,
      REDIS_URL: undefined,
      SLIDE_MAX_MB: 4096,
      OCR_TIMEOUT_SECONDS: 60,
      SMTP_URL: undefined,
      MAIL_FROM: "Tumor Board <no-reply@localhost>",
      PUBLIC_URL: undefined,
    });
    expect(validateEnv({}).DICOM_WORKERS).toBeGreaterThanOrEqual(1);
  });

  it("treats an empty variable as unset", () => {
    expect(validateEnv({ PORT: "", DATABASE_URL: "", DICOM_PORT: "", STORAGE_DIR: "" })).toMatchObject({
      PORT: 3000,
      DATABASE_URL: "file:./data/tumorboard.db",
      DICOM_PORT: undefined,
      STORAGE_DIR: "data/storage",
    });
  });

  it("accepts and converts the values operators set", () => {
    const parsed = validateEnv({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATABASE_URL: "postgresql://tumorboard@db.internal:5432/tumorboard?schema=board_1",
      NODE_ENV: "production",
      SEED_DEMO: "0",
      LOG_LEVEL: "warn",
      ATTACHMENT_MAX_MB: "0.5",
      CASE_DUE_DAYS: "14",
      IMAGING_QUOTA_MB: "1",
      DICOM_PORT: "11112",
      DICOM_WORKERS: "2",
      REDIS_URL: "redis://127.0.0.1:6379",
      SMTP_URL: "smtps://user:password@mail.example.org:465",
      MAIL_FROM: "board@hospital.example",
      PUBLIC_URL: "https://board.example.org/",
    });
    expect(parsed).toMatchObject({
      PORT: 8080,
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      SEED_DEMO: "0",
      LOG_LEVEL: "warn",
      ATTACHMENT_MAX_MB: 0.5,
      CASE_DUE_DAYS: 14,
      IMAGING_QUOTA_MB: 1,
      DICOM_PORT: 11112,
      DICOM_WORKERS: 2,
    });
    expect(validateEnv({ DATABASE_URL: "file:/var/lib/tumorboard/board.db", HOST: "::" })).toMatchObject({
      DATABASE_URL: "file:/var/lib/tumorboard/board.db",
      HOST: "::",
    });
  });

  it("makes a numeric TRUST_PROXY a hop count and keeps an address list as it is", () => {
    expect(validateEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(validateEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8, 192.168.0.0/255.255.0.0, ::1" }).TRUST_PROXY).toBe(
      "loopback, 10.0.0.0/8, 192.168.0.0/255.255.0.0, ::1",
    );
  });

  it.each([
    ["PORT", "abc", 'PORT must be an integer from 1 to 65535 (got "abc")'],
    ["PORT", "0", 'PORT must be an integer from 1 to 65535 (got "0")'],
    ["PORT", "65536", 'PORT must be an integer from 1 to 65535 (got "65536")'],
    ["DICOM_PORT", "11112.5", 'DICOM_PORT must be an integer from 1 to 65535 (got "11112.5")'],
    ["HOST", "not a host", 'HOST must be an IP address or host name (got "not a host")'],
    [
      "DATABASE_URL",
      "mysql://db/tumorboard",
      'DATABASE_URL must be file:<path> (SQLite) or a postgresql:// URL (PostgreSQL) whose optional ?schema= is a plain name (got "mysql://db/tumorboard")',
    ],
    ["DATABASE_URL", "postgresql://db/tumorboard?schema=a;drop", "DATABASE_URL must be"],
    ["NODE_ENV", "prod", 'NODE_ENV must be one of development, production, test (got "prod")'],
    ["SEED_DEMO", "yes", 'SEED_DEMO must be one of 0, 1 (got "yes")'],
    [
      "TRUST_PROXY",
      "everyone",
      'TRUST_PROXY must be a number of proxy hops, or a comma-separated list of addresses, subnets or loopback, linklocal, uniquelocal (got "everyone")',
    ],
    ["LOG_LEVEL", "debug", 'LOG_LEVEL must be one of info, warn, error (got "debug")'],
    ["ATTACHMENT_MAX_MB", "-1", 'ATTACHMENT_MAX_MB must be a number of MB above 0 and at most 1048576 (got "-1")'],
    ["ATTACHMENT_MAX_MB", "0", "ATTACHMENT_MAX_MB must be a number of MB above 0"],
    ["IMAGING_MAX_FILE_MB", "1GB", "IMAGING_MAX_FILE_MB must be a number of MB above 0"],
    ["SLIDE_MAX_MB", "99999999", "SLIDE_MAX_MB must be a number of MB above 0"],
    ["OCR_TIMEOUT_SECONDS", "0", "OCR_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600"],
    ["IMAGING_QUOTA_MB", "1.5", 'IMAGING_QUOTA_MB must be a whole number of MB from 1 to 1048576 (got "1.5")'],
    ["CASE_DUE_DAYS", "0", 'CASE_DUE_DAYS must be a whole number of days from 1 to 365 (got "0")'],
    ["DICOM_WORKERS", "0", 'DICOM_WORKERS must be a positive integer (got "0")'],
    ["REDIS_URL", "127.0.0.1:6379", 'REDIS_URL must be a redis:// or rediss:// URL (got "127.0.0.1:6379")'],
    ["SMTP_URL", "mail.example.org", 'SMTP_URL must be an smtp:// or smtps:// URL (got "mail.example.org")'],
    ["MAIL_FROM", "Tumor Board", 'MAIL_FROM must be an email address, or a name and <address> (got "Tumor Board")'],
    ["PUBLIC_URL", "board.example.org", 'PUBLIC_URL must be an http:// or https:// URL (got "board.example.org")'],
  ])("refuses %s=%s, naming it", (name, value, message) => {
    expect(problemsOf({ [name]: value })).toContain(`Invalid environment: ${message}`);
  });

  it("names every invalid variable at once", () => {
    const message = problemsOf({ PORT: "abc", ATTACHMENT_MAX_MB: "lots", LOG_LEVEL: "verbose", PUBLIC_URL: "https://board.example.org" });
    expect(message).toBe(
      'Invalid environment: PORT must be an integer from 1 to 65535 (got "abc"); LOG_LEVEL must be one of info, warn, error (got "verbose"); ATTACHMENT_MAX_MB must be a number of MB above 0 and at most 1048576 (got "lots")',
    );
  });

  it("keeps passwords out of the message", () => {
    const message = problemsOf({ DATABASE_URL: "mysql://board:s3cret@db/tumorboard", SMTP_URL: "smtpx://mailer:hunter2@mail.example.org" });
    expect(message).toContain('(got "mysql://board:***@db/tumorboard")');
    expect(message).toContain('(got "smtpx://mailer:***@mail.example.org")');
    expect(message).not.toMatch(/s3cret|hunter2/);
  });
});

describe("env()", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("follows process.env as it changes", () => {
    vi.stubEnv("ATTACHMENT_MAX_MB", "0.01");
    expect(env("ATTACHMENT_MAX_MB")).toBe(0.01);
    vi.stubEnv("ATTACHMENT_MAX_MB", "20");
    expect(env("ATTACHMENT_MAX_MB")).toBe(20);
    vi.stubEnv("ATTACHMENT_MAX_MB", undefined);
    expect(env("ATTACHMENT_MAX_MB")).toBe(50);
  });

  it("reads a given environment instead of process.env", () => {
    vi.stubEnv("PUBLIC_URL", "https://board.example.org");
    expect(env("PUBLIC_URL", {})).toBeUndefined();
    expect(env("PORT", { PORT: "8080" })).toBe(8080);
  });

  it("throws an EnvError naming the variable when its value became invalid", () => {
    vi.stubEnv("CASE_DUE_DAYS", "a week");
    expect(() => env("CASE_DUE_DAYS")).toThrow('Invalid environment: CASE_DUE_DAYS must be a whole number of days from 1 to 365 (got "a week")');
  });
});

describe("the gateway's environment", () => {
  const token = `tbt_${"a".repeat(43)}`;

  it("needs the platform URL and a token, and has defaults for the rest", () => {
    expect(() => validateGatewayEnv({})).toThrow("GATEWAY_PLATFORM_URL is required; GATEWAY_TOKEN is required");
    expect(validateGatewayEnv({ GATEWAY_PLATFORM_URL: "https://tb.example.org", GATEWAY_TOKEN: token })).toMatchObject({
      GATEWAY_PORT: 11112,
      GATEWAY_QUEUE_DIR: "data/gateway",
      GATEWAY_CALLING_AE_TITLES: undefined,
    });
  });

  it("names each invalid variable and keeps the token out of the message", () => {
    let message = "";
    try {
      validateGatewayEnv({ GATEWAY_PLATFORM_URL: "ftp://x", GATEWAY_TOKEN: "secret-value", GATEWAY_PORT: "0", GATEWAY_CALLING_AE_TITLES: "PACS,BAD\\AE" });
    } catch (error) {
      message = (error as EnvError).message;
    }
    expect(message).toContain("GATEWAY_PLATFORM_URL must be the platform's http:// or https:// URL");
    expect(message).toContain("GATEWAY_PORT must be an integer from 1 to 65535");
    expect(message).toContain("GATEWAY_CALLING_AE_TITLES must be a comma-separated list of AE titles");
    expect(message).toContain("GATEWAY_TOKEN must be a gateway token");
    expect(message).not.toContain("secret-value");
    expect(
      validateGatewayEnv({ GATEWAY_PLATFORM_URL: "http://10.0.0.5:3000", GATEWAY_TOKEN: token, GATEWAY_CALLING_AE_TITLES: "PACS1, PACS2" })
        .GATEWAY_CALLING_AE_TITLES,
    ).toEqual(["PACS1", "PACS2"]);
  });
});
