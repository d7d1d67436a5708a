/** The session's CSRF token (from the root loader) as a hidden form field, and for scripts that send it as a header. */
import { useRouteLoaderData } from "@remix-run/react";
import { CSRF_FIELD } from "~/features/identity/csrf";

export function useCsrfToken(): string | null {
  return useRouteLoaderData<{ csrf: string | null }>("root")?.csrf ?? null;
}

export function CsrfField() {
  const token = useCsrfToken();
  return token ? <input type="hidden" name={CSRF_FIELD} value={token} /> : null;
}
