/**
 * Passkeys on the server, answered by a software authenticator (P-256 keys from node:crypto, CBOR from SimpleWebAuthn's
 * helpers): added only beside the authenticator app and with the session's own fresh challenge; a sign-in takes only the
 * pending user's own passkey, from this origin, once per challenge, with a counter that moves forward.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import * as enrolRoute from "~/routes/login_.enrol";
import * as passkeyLogin from "~/routes/login_.passkey";
import * as accountPasskeys from "~/routes/account.passkeys";
import * as queueRoute from "~/routes/queue";
import { attemptLogin } from "~/features/identity/login.server";
import { throttleKey } from "~/features/identity/login-throttle";
import { hashPassword } from "~/features/identity/password.server";
import { getDb } from "~/platform/db.server";
import { BASE, csrfFor, get, nextIp, run, signIn } from "../support/remix";

const PASSWORD = "copper-meadow-falcon-58";
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest();

/** A platform authenticator in software: one P-256 credential, user present and verified, with a signature counter. */
class SoftAuthenticator {
  readonly key = generateKeyPairSync("ec", { namedCurve: "P-256" });
  readonly credentialId = randomBytes(16);
  counter = 0;
  constructor(readonly origin = BASE) {}

  private authData(attested?: Buffer) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const flags = 0x01 | 0x04 | (attested ? 0x40 : 0);
    return Buffer.concat([sha256("localhost"), Buffer.from([flags]), counter, attested ?? Buffer.alloc(0)]);
  }

  private clientData(type: string, challenge: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  register(options: { challenge: string }) {
    const jwk = this.key.publicKey.export({ format: "jwk" });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const length = Buffer.alloc(2);
    length.writeUInt16BE(this.credentialId.length);
    const authData = this.authData(Buffer.concat([Buffer.alloc(16), length, this.credentialId, Buffer.from(cose)]));
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]) as never,
    );
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: "public-key",
      response: {
        clientDataJSON: b64url(this.clientData("webauthn.create", options.challenge)),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
    };
  }

  assert(options: { challenge: string }) {
    this.counter++;
    const clientDataJSON = this.clientData("webauthn.get", options.challenge);
    const authenticatorData = this.authData();
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.key.privateKey);
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }
}

async function passwordStep(email: string) {
  const result = await attemptLogin({ email, password: PASSWORD, meta: { ip: nextIp(), userAgent: "vitest", requestId: null } });
  if (!result.ok) throw new Error(result.reason);
  return result.setCookie.split(";")[0];
}

/** A consultant who has set up the authenticator app: the cookie of a full session, the app's key and the recovery codes. */
async function enrolledConsultant(email: string): Promise<{ cookie: string; secret: string; recovery: string[] }> {
  await getDb().user.create({
    data: { email, displayName: "Dr. Passkey", passwordHash: await hashPassword(PASSWORD), role: "CONSULTANT", institutionId: "demo-pacific", timeZone: "UTC" },
  });
  const pending = await passwordStep(email);
  const { secret } = (await run(enrolRoute.loader, { request: get("/login/enrol", pending) })).data;
  const enrolled = await run(enrolRoute.action, {
    request: new Request(`${BASE}/login/enrol`, {
      method: "POST",
      body: new URLSearchParams({ code: generateSync({ secret }) }),
      headers: { cookie: pending },
    }),
  });
  return { cookie: (enrolled.headers.get("set-cookie") ?? "").split(";")[0], secret, recovery: enrolled.data.codes };
}

/** The app's code of the next time step (the current one was spent on enrolment). */
const nextCode = (secret: string) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

async function postJson(route: { action: typeof passkeyLogin.action }, path: string, cookie: string, body: unknown, csrf = true) {
  const headers: Record<string, string> = { cookie, "content-type": "application/json", ...(csrf ? { "x-csrf-token": await csrfFor(cookie) } : {}) };
  return run(route.action, { request: new Request(BASE + path, { method: "POST", body: JSON.stringify(body), headers }) });
}

async function addPasskey({ cookie, secret }: { cookie: string; secret: string }, authenticator: SoftAuthenticator, name = "Office laptop") {
  const options = await run(accountPasskeys.loader, { request: get("/account/passkeys", cookie) });
  expect(options.status).toBe(200);
  return postJson(accountPasskeys, "/account/passkeys", cookie, { response: authenticator.register(JSON.parse(options.data)), name, code: nextCode(secret) });
}

/** The password step, then the passkey's answer to the challenge the pending session is given. */
async function passkeySignIn(email: string, authenticator: SoftAuthenticator) {
  const pending = await passwordStep(email);
  const options = await run(passkeyLogin.loader, { request: get("/login/passkey", pending) });
  if (options.status !== 200) return { options, answer: null, pending };
  const response = authenticator.assert(JSON.parse(options.data));
  return { options, answer: await postJson(passkeyLogin, "/login/passkey", pending, { response, redirectTo: "/queue" }), pending, response };
}

describe("passkeys", () => {
  it("are added beside the authenticator app with the session's fresh challenge, and sign in once per challenge", async () => {
    const noApp = await run(accountPasskeys.loader, { request: get("/account/passkeys", await signIn("physician@demo.test")) });
    expect(noApp.status).toBe(409);
    expect(JSON.parse(noApp.data).error).toBe("auth:passkeys.needsApp");

    const { cookie, secret, recovery } = await enrolledConsultant("passkey.one@demo.test");
    const authenticator = new SoftAuthenticator();
    const options = JSON.parse((await run(accountPasskeys.loader, { request: get("/account/passkeys", cookie) })).data);
    expect(options.rp).toEqual({ name: "Tumor Board", id: "localhost" });
    const registration = authenticator.register(options);
    const add = (body: Record<string, unknown>, csrf = true) =>
      postJson(accountPasskeys, "/account/passkeys", cookie, { response: registration, name: "Laptop", ...body }, csrf);
    expect((await add({ code: nextCode(secret) }, false)).status).toBe(403);
    // An open session alone does not add a lasting factor: the app's current code is asked for.
    expect(JSON.parse((await add({ code: "000000" })).data).error).toBe("auth:mfa.wrongCode");
    expect((await add({ code: nextCode(secret) })).status).toBe(200);
    expect(JSON.parse((await add({ code: recovery[0] })).data).error).toBe("auth:passkeys.expired");
    expect(await getDb().passkey.count({ where: { user: { email: "passkey.one@demo.test" } } })).toBe(1);

    const { answer, pending, response } = await passkeySignIn("passkey.one@demo.test", authenticator);
    expect(answer!.status).toBe(200);
    expect(JSON.parse(answer!.data).location).toBe("/queue");
    const full = (answer!.headers.get("set-cookie") ?? "").split(";")[0];
    expect((await run(queueRoute.loader, { request: get("/queue", full) })).status).toBe(200);
    // The pending session is spent: its answer cannot be sent again.
    expect((await postJson(passkeyLogin, "/login/passkey", pending, { response, redirectTo: "/queue" })).status).toBe(401);
    const stored = await getDb().passkey.findFirstOrThrow({ where: { user: { email: "passkey.one@demo.test" } } });
    expect(stored).toMatchObject({ counter: 1, name: "Laptop" });
    expect(stored.lastUsedAt).not.toBeNull();
  });

  it("refuses another account's passkey, another origin and a counter that goes back, each audited and throttled like a wrong code", async () => {
    const owners = new SoftAuthenticator();
    expect((await addPasskey(await enrolledConsultant("passkey.owner@demo.test"), owners)).status).toBe(200);
    expect((await addPasskey(await enrolledConsultant("passkey.other@demo.test"), new SoftAuthenticator())).status).toBe(200);

    // The other account's pending session, answered with the owner's authenticator.
    const stolen = await passkeySignIn("passkey.other@demo.test", owners);
    expect(stolen.answer!.status).toBe(400);
    expect(JSON.parse(stolen.answer!.data).error).toBe("auth:passkeys.notVerified");

    const phishing = new SoftAuthenticator("https://tumorboard.example.net");
    Object.assign(phishing, { key: owners.key, credentialId: owners.credentialId, counter: 10 });
    expect((await passkeySignIn("passkey.owner@demo.test", phishing)).answer!.status).toBe(400);

    expect((await passkeySignIn("passkey.owner@demo.test", owners)).answer!.status).toBe(200);
    owners.counter = 0; // a clone that starts from the beginning
    expect((await passkeySignIn("passkey.owner@demo.test", owners)).answer!.status).toBe(400);

    const failures = await getDb().auditEvent.count({ where: { action: "mfa.verify", outcome: "failure", details: { contains: '"kind":"passkey"' } } });
    expect(failures).toBeGreaterThanOrEqual(3);
    const owner = await getDb().user.findUniqueOrThrow({ where: { email: "passkey.owner@demo.test" } });
    expect((await getDb().loginThrottle.findUniqueOrThrow({ where: { key: throttleKey("mfa", owner.id) } })).failures).toBeGreaterThan(0);
  });

  it("is not offered to a session that has no passkey, nor to one that is not owing a second factor", async () => {
    const { cookie } = await enrolledConsultant("passkey.none@demo.test");
    const pending = await passwordStep("passkey.none@demo.test");
    expect((await run(passkeyLogin.loader, { request: get("/login/passkey", pending) })).status).toBe(404);
    expect((await run(passkeyLogin.loader, { request: get("/login/passkey", cookie) })).status).toBe(404);
    expect((await run(accountPasskeys.loader, { request: get("/account/passkeys", pending) })).status).toBe(302);
  });
});
