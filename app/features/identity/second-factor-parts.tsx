/** What the second-factor pages share: the key to type into an authenticator app, and the recovery codes shown once. */
import { useTranslation } from "react-i18next";

export function AuthenticatorKey({ secret, uri }: { secret: string; uri: string }) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        {t("auth:mfa.secretLabel")} <code data-testid="mfa-secret">{secret.match(/.{1,4}/g)?.join(" ")}</code>
      </p>
      <p>
        <a href={uri}>{t("auth:mfa.openInApp")}</a>
      </p>
    </>
  );
}

export function RecoveryCodes({ codes }: { codes: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t("auth:mfa.codesIntro")}</p>
      <ul className="recovery-codes" aria-label={t("auth:mfa.codesTitle")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </>
  );
}
