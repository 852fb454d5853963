/**
 * How Go (gjson, strconv, fmt) turns JSON values into strings, numbers and booleans. Argo Events' filters and
 * parameters are written in Go, so these conversions decide what a Sensor sees.
 */

/** Go's encoding/json output of a value: compact JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** gjson `Result.String()`: strings as they are, `null` as "", numbers and booleans as JSON, objects as raw JSON. */
export function gjsonString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return goJson(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return goJson(value);
}

/** gjson `Result.Float()`. */
export function gjsonFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === true) return 1;
  if (typeof value === 'string') {
    const parsed = parseGoFloat(value);
    return parsed.ok ? parsed.value : 0;
  }
  return 0;
}

/** gjson `Result.Bool()`. */
export function gjsonBool(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'string') {
    // gjson lower-cases the string before strconv.ParseBool.
    const parsed = parseGoBool(value.toLowerCase());
    return parsed.ok ? parsed.value : false;
  }
  if (typeof value === 'number') return value !== 0;
  return false;
}

/** gjson's type name, as `Result.Type.String()` reports it. */
export function gjsonType(value: unknown): 'Null' | 'False' | 'Number' | 'String' | 'True' | 'JSON' {
  if (value === null || value === undefined) return 'Null';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  return 'JSON';
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** `strconv.ParseBool`. */
export function parseGoBool(text: string): Parsed<boolean> {
  if (TRUE_WORDS.has(text)) return { ok: true, value: true };
  if (FALSE_WORDS.has(text)) return { ok: true, value: false };
  return { ok: false, error: `strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax` };
}

const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** `strconv.ParseFloat(s, 64)` for decimal forms, `Inf` and `NaN` (hexadecimal floats are reported as errors). */
export function parseGoFloat(text: string): Parsed<number> {
  if (SPECIAL.test(text)) {
    const lower = text.toLowerCase();
    if (lower.endsWith('nan')) return { ok: true, value: Number.NaN };
    return { ok: true, value: lower.startsWith('-') ? -Infinity : Infinity };
  }
  if (DECIMAL.test(text) && !text.includes('_')) return { ok: true, value: Number(text) };
  return { ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax` };
}

/**
 * Go's `fmt` `%v` of a float64 (what a Go template prints for a JSON number): `strconv.FormatFloat(f, 'g', -1,
 * 64)`, the shortest digits, in exponent form when the exponent is < -4 or >= 6 — so a repository id
 * 186853002 prints as `1.86853002e+08`.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, expText] = value.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(value);
}
