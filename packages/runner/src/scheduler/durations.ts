/** Go's time.ParseDuration subset Argo accepts (`1h30m`, `10s`, `500ms`), or a bare number of seconds. */
export function parseDuration(value: string | number, field: string): number {
  if (typeof value === 'number') return value * 1000;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  if (rest === '') throw new Error(`${field} "${value}" is not a duration`);
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`${field} "${value}" is not a duration (expected e.g. "30s", "1m30s", or a number of seconds)`);
    total += Number(m[1]) * (units[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return total;
}
