/**
 * A parser for the cron expressions Argo v4 accepts: five numeric fields (its CRD pattern allows only digits and
 * `* , / ? -`, so no month/day names and no CRON_TZ= prefix; use `timezone`), a descriptor, or `@every <duration>`.
 */

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly question?: boolean;
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, },
  { name: 'day of week', min: 0, max: 6, question: true },
];

function parseValue(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function fieldProblem(text: string, field: Field): string | undefined {
  for (const part of text.split(',')) {
    const [range = '', step, ...extra] = part.split('/');
    if (extra.length > 0 || (step !== undefined && !/^\d+$/.test(step))) return `${field.name} "${text}" has a bad step`;
    if (step !== undefined && Number(step) === 0) return `${field.name} "${text}" has a step of 0`;
    if (range === '*' || (range === '?' && field.question)) continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} "${text}" is not a value, range or list`;
    const values = bounds.map((b) => parseValue(b));
    for (const v of values) {
      if (v === undefined) return `${field.name} "${text}" is not a value, range or list`;
      if (v < field.min || v > field.max) return `${field.name} "${text}" is outside ${field.min}-${field.max}`;
    }
    if (values.length === 2 && (values[0] ?? 0) > (values[1] ?? 0)) return `${field.name} "${text}" has a range that runs backwards`;
  }
  return undefined;
}

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why a schedule is not a valid cron expression, or undefined when it is. */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(CRON_TZ|TZ)=/.test(text)) return 'a CRON_TZ=/TZ= prefix is not accepted by Argo v4 (set spec.timezone instead)';
  if (text.startsWith('@')) {
    if (DESCRIPTORS.includes(text)) return undefined;
    if (text.startsWith('@every ')) return DURATION.test(text.slice(7).trim()) ? undefined : `"@every" needs a duration such as 5m`;
    return `unknown descriptor "${text}"`;
  }
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), received ${fields.length}`;
  for (let i = 0; i < 5; i += 1) {
    const field = fields[i] ?? '';
    const spec = FIELDS[i] as Field;
    if (/[A-Za-z]/.test(field)) return `${spec.name} "${field}" uses names; Argo v4 accepts only digits and * , / ? -`;
    const problem = fieldProblem(field, spec);
    if (problem) return problem;
  }
  return undefined;
}

let canonicalZones: ReadonlySet<string> | undefined;

/**
 * Whether `Intl` knows the IANA time zone. The canonical names come from `Intl.supportedValuesOf` (~1.5 ms);
 * only a name not among them (an alias such as `US/Eastern`, or a mistake) builds a `DateTimeFormat`, whose
 * first use loads ICU's time-zone data (~20 ms of every compile, check and lint that meets a CronWorkflow).
 */
export function isTimeZone(zone: string): boolean {
  // Go's time.LoadLocation takes "UTC" without tzdata; ICU lists it as an alias (Etc/UTC), not a canonical name.
  canonicalZones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  if (canonicalZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
