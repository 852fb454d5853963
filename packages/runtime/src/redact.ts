/**
 * Keeps credentials out of logs and errors. Every message the runtime prints or throws that could contain
 * a URL, a header or a command line goes through {@link redact}.
 */

const registered = new Set<string>();

/** Registers a secret value (a token, a password) so that {@link redact} hides it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/** Hides registered secrets, URL user-info, and `Authorization`-style header values. */
export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join('***');
  return out
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1***@')
    .replace(/\b(authorization|proxy-authorization|x-access-token|token|password)(["']?\s*[:=]\s*["']?)(bearer |basic |token )?[^\s"',}]+/gi, '$1$2$3***');
}
