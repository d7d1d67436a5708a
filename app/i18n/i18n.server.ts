/** Server i18next: detects each request's language and keeps the language cookie. */
import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LOCALE, SUPPORTED_LOCALES } from "~/i18n/locales";
import { getOptionalUser } from "~/features/identity/auth.server";
import { i18nOptions, resources } from "./resources";

export const localeCookie = createCookie("tb_lng", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });

/**
 * Order: ?lng=, the language cookie (the header switch), the signed-in
 * user's preference, then Accept-Language.
 */
export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LOCALES],
    fallbackLanguage: DEFAULT_LOCALE,
    cookie: localeCookie,
    searchParamKey: "lng",
    order: ["searchParams", "cookie", "custom", "header"],
    async findLocale(request) {
      return (await getOptionalUser(request))?.preferredLocale ?? null;
    },
  },
  i18next: { ...i18nOptions, resources },
});
