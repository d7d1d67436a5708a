/** The document: language, header with navigation and unread count, the error page. */
import { data, type LoaderFunctionArgs, type LinksFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { AppHeader } from "~/ui/app-header";
import { isLocale } from "~/i18n/locales";
import { homeOf, navigationFor } from "~/features/identity/permissions";
import { i18nServer, localeCookie } from "~/i18n/i18n.server";
import stylesheet from "~/styles/app.css?url";
import { unreadSummary } from "~/features/notifications/notification-page.server";
import { getOptionalUser } from "~/features/identity/auth.server";
import { csrfToken } from "~/features/identity/csrf.server";
import { useNonce } from "~/ui/nonce";

const FAVICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5d7a"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>',
  );

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: FAVICON, type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await i18nServer.getLocale(request);
  const user = await getOptionalUser(request);
  const requested = new URL(request.url).searchParams.get("lng");
  const headers = new Headers();
  if (isLocale(requested)) headers.append("Set-Cookie", await localeCookie.serialize(requested));
  return data(
    {
      locale,
      user: user
        ? {
            displayName: user.displayName,
            email: user.email,
            role: user.role,
            timeZone: user.timeZone,
            home: homeOf(user),
            institution: user.institution ? { nameEn: user.institution.nameEn, nameZh: user.institution.nameZh } : null,
          }
        : null,
      navigation: user ? navigationFor(user) : [],
      notifications: user ? await unreadSummary({ user }) : null,
      // Also while a second factor is owed: the language switch posts with it.
      csrf: await csrfToken(request),
    },
    { headers },
  );
}

export type RootData = typeof loader;

export function Layout({ children }: { children: React.ReactNode }) {
  const rootData = useRouteLoaderData<RootData>("root");
  const locale = rootData?.locale ?? "en";
  const { t } = useTranslation();
  const nonce = useNonce();
  useChangeLanguage(locale);
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t("common:appName")}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("common:skipToContent")}
        </a>
        <AppHeader user={rootData?.user ?? null} navigation={rootData?.navigation ?? []} notifications={rootData?.notifications ?? null} locale={locale} />
        <main id="main" className="page">
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_TEXT = {
  403: { title: "common:errors.forbidden.title", body: "common:errors.forbidden.body" },
  404: { title: "common:errors.notFound.title", body: "common:errors.notFound.body" },
  500: { title: "common:errors.unexpected.title", body: "common:errors.unexpected.body" },
} as const;

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = status === 403 || status === 404 ? ERROR_TEXT[status] : ERROR_TEXT[500];
  if (status >= 500) console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{t(text.title)}</h1>
      <p>{t(text.body)}</p>
      <p>
        <a href="/">{t("common:errors.goHome")}</a>
      </p>
    </section>
  );
}
