/** The passkey ceremonies in the browser: adding one on the account's security page, and using one at sign-in. */
import { useRevalidator } from "@remix-run/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCsrfToken } from "~/ui/csrf-field";
import { CSRF_HEADER } from "./csrf";
import { PASSKEY_NAME_MAX } from "./mfa";

type Problem = { key: string; count?: number };

/** The error of a JSON answer (with the wait when throttled). */
async function errorOf(response: Response): Promise<Problem> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; retryAfterSeconds?: number | null };
  return { key: body.error ?? "auth:passkeys.notVerified", count: body.retryAfterSeconds ?? undefined };
}

/** The browser's refusal: the user cancelled (or no passkey matched), or no passkey support. */
function ceremonyError(error: unknown): Problem {
  const name = (error as { name?: string })?.name;
  return { key: name === "NotAllowedError" || name === "AbortError" ? "auth:passkeys.cancelled" : "auth:passkeys.unsupported" };
}

function ProblemAlert({ problem, id }: { problem: Problem | null; id?: string }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <div className="alert alert-error" role="alert" id={id}>
      <p>{t(problem.key, { count: problem.count ?? 60 })}</p>
    </div>
  );
}

async function postJson(url: string, csrf: string, body: unknown) {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", [CSRF_HEADER]: csrf }, body: JSON.stringify(body) });
}

export function AddPasskey() {
  const { t } = useTranslation();
  const id = useId();
  const csrf = useCsrfToken() ?? "";
  const revalidator = useRevalidator();
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [state, setState] = useState<{ busy: boolean; problem: Problem | null; added: boolean }>({ busy: false, problem: null, added: false });
  const nameMissing = state.problem?.key === "auth:passkeys.nameRequired";
  const codeWrong = state.problem?.key === "auth:mfa.wrongCode";

  async function add() {
    if (!name.trim()) return setState({ busy: false, problem: { key: "auth:passkeys.nameRequired" }, added: false });
    setState({ busy: true, problem: null, added: false });
    const options = await fetch("/account/passkeys", { headers: { accept: "application/json" } });
    if (!options.ok) return setState({ busy: false, problem: await errorOf(options), added: false });
    let response: unknown;
    try {
      const { startRegistration } = await import("@simplewebauthn/browser");
      response = await startRegistration({ optionsJSON: await options.json() });
    } catch (error) {
      return setState({ busy: false, problem: ceremonyError(error), added: false });
    }
    const saved = await postJson("/account/passkeys", csrf, { response, name, code });
    if (!saved.ok) return setState({ busy: false, problem: await errorOf(saved), added: false });
    setName("");
    setCode("");
    setState({ busy: false, problem: null, added: true });
    revalidator.revalidate();
  }

  return (
    <div className="stack" aria-busy={state.busy}>
      <ProblemAlert problem={state.problem} id={`${id}-problem`} />
      {state.added && <p role="status">{t("auth:passkeys.added")}</p>}
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("auth:passkeys.name")}</label>
        <input
          id={`${id}-name`}
          type="text"
          maxLength={PASSKEY_NAME_MAX}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          aria-invalid={nameMissing || undefined}
          aria-describedby={nameMissing ? `${id}-problem ${id}-hint` : `${id}-hint`}
          autoComplete="off"
        />
        <p className="hint" id={`${id}-hint`}>
          {t("auth:passkeys.nameHint")}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-code`}>{t("auth:mfa.signCode")}</label>
        <input
          id={`${id}-code`}
          type="text"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          aria-invalid={codeWrong || undefined}
          aria-describedby={codeWrong ? `${id}-problem ${id}-code-hint` : `${id}-code-hint`}
        />
        <p className="hint" id={`${id}-code-hint`}>
          {t("auth:passkeys.codeHint")}
        </p>
      </div>
      <button type="button" className="button-secondary" disabled={state.busy} onClick={() => void add()}>
        {t("auth:passkeys.add")}
      </button>
    </div>
  );
}

export function UsePasskey({ redirectTo }: { redirectTo: string }) {
  const { t } = useTranslation();
  const csrf = useCsrfToken() ?? "";
  const [state, setState] = useState<{ busy: boolean; problem: Problem | null }>({ busy: false, problem: null });

  async function use() {
    setState({ busy: true, problem: null });
    const options = await fetch("/login/passkey", { headers: { accept: "application/json" } });
    if (!options.ok) return setState({ busy: false, problem: await errorOf(options) });
    let response: unknown;
    try {
      const { startAuthentication } = await import("@simplewebauthn/browser");
      response = await startAuthentication({ optionsJSON: await options.json() });
    } catch (error) {
      return setState({ busy: false, problem: ceremonyError(error) });
    }
    const answer = await postJson("/login/passkey", csrf, { response, redirectTo });
    if (!answer.ok) return setState({ busy: false, problem: await errorOf(answer) });
    const { location } = (await answer.json()) as { location: string };
    window.location.assign(location);
  }

  return (
    <div className="stack" aria-busy={state.busy}>
      <p className="muted">{t("auth:passkeys.or")}</p>
      <ProblemAlert problem={state.problem} />
      <button type="button" className="button-secondary" disabled={state.busy} onClick={() => void use()}>
        {t("auth:passkeys.use")}
      </button>
    </div>
  );
}
