/** True when a browser's Origin header names the host the request was sent to. */
export function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
