/**
 * Only same-site paths are followed after sign-in or a language change; anything else goes to `fallback`. The target is
 * resolved as a browser would (which drops tabs and newlines, and reads `\` as `/`) and kept only if it stays on our
 * origin; what is followed is the resolved path, never the raw text.
 */
const HERE = "http://same.invalid";
export const MAX_REDIRECT_LENGTH = 2000;

export function safeRedirect(to: unknown, fallback: string): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > MAX_REDIRECT_LENGTH) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(to, HERE);
  } catch {
    return fallback;
  }
  if (resolved.origin !== HERE) return fallback;
  const path = resolved.pathname + resolved.search + resolved.hash;
  return path.startsWith("//") ? fallback : path;
}
