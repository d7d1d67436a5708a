/** Where a page sends its session's CSRF token: the form field and the header (see csrf.server.ts). */
export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "x-csrf-token";
