// What the browser control server (scripts/browser-control.mjs) and its route modules share: errors that become
// HTTP answers, and URLs fit for the logs.

/** An error the control server answers with this status and `{ error: message }`. */
export function httpError(status, message) {
  return Object.assign(new Error(message), { status });
}

/** The first line of an error's message. */
export function errorMessage(e) {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** Query strings of OAuth URLs carry codes and state: keep them out of the logs. */
export function redact(url) {
  try {
    const parsed = new URL(url);
    return parsed.search ? `${parsed.origin}${parsed.pathname}?…` : url;
  } catch {
    return url;
  }
}
