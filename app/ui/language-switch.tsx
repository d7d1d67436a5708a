/** The header's English / Chinese switch. */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LOCALE_NAMES, SUPPORTED_LOCALES } from "~/i18n/locales";
import { CsrfField } from "./csrf-field";

export function LanguageSwitch({ locale, redirectTo }: { locale: string; redirectTo: string }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action="/set-language" className="language-switch" aria-label={t("common:language.label")}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <CsrfField />
      {SUPPORTED_LOCALES.map((lng) => (
        <button key={lng} type="submit" name="lng" value={lng} lang={lng} aria-pressed={lng === locale} className="chip">
          {LOCALE_NAMES[lng]}
        </button>
      ))}
    </Form>
  );
}
