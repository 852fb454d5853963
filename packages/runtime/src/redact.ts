/**
 * Keeps credentials out of logs and errors. Every message the runtime prints or throws that could contain
 * a URL, a header or a command line goes through {@link redact}.
 */

const registered = new Set<string>();

/** Registers a secret value (a token, a password) so that {@link redact} hides it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/**
 * Hides registered secrets and URL user-info, and nothing else: for results and output parameters, whose
 * text must stay what it was everywhere else (a file named `token=x.yaml` is not a secret).
 */
export function redactSecrets(text: string): string {
  let out = text;
  // Longest first: a secret holding a shorter one is hidden whole.
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  // User-info never holds a raw quote (URLs percent-encode it), so a match stays inside one string.
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+(?::[^/\s@"']*)?@/gi, '$1***@');
}

/** {@link redactSecrets}, and `Authorization`-style header values: for messages and logs. */
export function redact(text: string): string {
  return redactSecrets(text)
    .replace(/\b(authorization|proxy-authorization|x-access-token|token|password)(["']?\s*[:=]\s*["']?)(bearer |basic |token )?[^\s"',}]+/gi, '$1$2$3***');
}

/** `value` with {@link redactSecrets} applied to every string in it (object keys included). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactSecrets(k), redactDeep(v as unknown)])) as T;
  }
  return value;
}

/** A received value for a message: secrets hidden first, then cut to `max` characters. */
export function shorten(text: string, max = 80): string {
  const safe = redact(text);
  return safe.length > max ? `${safe.slice(0, max - 3)}...` : safe;
}
