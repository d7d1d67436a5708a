/** The passkey ceremonies in the browser: adding one on the account's security page, and using one at sign-in. */
import { useRevalidator } from "@remix-run/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCsrfToken } from "~/ui/csrf-field";
import { CSRF_HEADER } from "./csrf";
import { PASSKEY_NAME_MAX } from "./mfa";

/** The error key of a JSON answer, or of the browser's refusal (the user cancelled, or no passkey support). */
async function errorOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return body.error ?? "auth:passkeys.notVerified";
}

function ceremonyError(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === "NotAllowedError" || name === "AbortError") return "auth:passkeys.cancelled";
  return "auth:passkeys.unsupported";
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
  const [state, setState] = useState<{ busy: boolean; error: string | null; added: boolean }>({ busy: false, error: null, added: false });

  async function add() {
    if (!name.trim()) return setState({ busy: false, error: "auth:passkeys.nameRequired", added: false });
    setState({ busy: true, error: null, added: false });
    const options = await fetch("/account/passkeys", { headers: { accept: "application/json" } });
    if (!options.ok) return setState({ busy: false, error: await errorOf(options), added: false });
    let response: unknown;
    try {
      const { startRegistration } = await import("@simplewebauthn/browser");
      response = await startRegistration({ optionsJSON: await options.json() });
    } catch (error) {
      return setState({ busy: false, error: ceremonyError(error), added: false });
    }
    const saved = await postJson("/account/passkeys", csrf, { response, name });
    if (!saved.ok) return setState({ busy: false, error: await errorOf(saved), added: false });
    setName("");
    setState({ busy: false, error: null, added: true });
    revalidator.revalidate();
  }

  return (
    <div className="stack">
      {state.error && (
        <div className="alert alert-error" role="alert">
          <p>{t(state.error)}</p>
        </div>
      )}
      {state.added && <p role="status">{t("auth:passkeys.added")}</p>}
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("auth:passkeys.name")}</label>
        <input
          id={`${id}-name`}
          type="text"
          maxLength={PASSKEY_NAME_MAX}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
        />
        <p className="hint" id={`${id}-hint`}>
          {t("auth:passkeys.nameHint")}
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
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  async function use() {
    setState({ busy: true, error: null });
    const options = await fetch("/login/passkey", { headers: { accept: "application/json" } });
    if (!options.ok) return setState({ busy: false, error: await errorOf(options) });
    let response: unknown;
    try {
      const { startAuthentication } = await import("@simplewebauthn/browser");
      response = await startAuthentication({ optionsJSON: await options.json() });
    } catch (error) {
      return setState({ busy: false, error: ceremonyError(error) });
    }
    const answer = await postJson("/login/passkey", csrf, { response, redirectTo });
    if (!answer.ok) return setState({ busy: false, error: await errorOf(answer) });
    const { location } = (await answer.json()) as { location: string };
    window.location.assign(location);
  }

  return (
    <div className="stack">
      <p className="muted">{t("auth:passkeys.or")}</p>
      {state.error && (
        <div className="alert alert-error" role="alert">
          <p>{t(state.error)}</p>
        </div>
      )}
      <button type="button" className="button-secondary" disabled={state.busy} onClick={() => void use()}>
        {t("auth:passkeys.use")}
      </button>
    </div>
  );
}
