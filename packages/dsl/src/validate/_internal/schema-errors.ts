import type { Finding } from './reporter.js';
import { isObject, renderPath, show, type JsonPath } from './json.js';

/** The part of an ajv error we read (ajv's `ErrorObject`, kept structural so any ajv-compiled validator fits). */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((p) => {
    const key = p.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let v = root;
  for (const part of path) {
    if (Array.isArray(v) && typeof part === 'number') v = v[part];
    else if (isObject(v) && typeof part === 'string') v = v[part];
    else return undefined;
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${show(value)}`;
}

/**
 * Turns ajv's errors into one finding per real problem: branch failures of an anyOf/oneOf collapse into the
 * anyOf error itself; duplicates (same path and keyword) are dropped.
 */
export function schemaFindings(root: unknown, errors: readonly SchemaError[]): Finding[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const e of errors) {
    if (unions.has(e.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const path = pointerToPath(e.instancePath);
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${String(e.params['missingProperty'] ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const value = valueAt(root, path);
    const at = renderPath(path) || '(document)';
    switch (e.keyword) {
      case 'type':
        findings.push({
          code: 'ARG001',
          path,
          message: `"${at}": expected ${String(e.params['type'])}, received ${describe(value)}`,
          hint: `give "${at}" a value of type ${String(e.params['type'])}`,
        });
        break;
      case 'anyOf':
      case 'oneOf': {
        const types = errors.filter((x) => x.instancePath === e.instancePath && x.keyword === 'type').map((x) => String(x.params['type']));
        findings.push({
          code: 'ARG001',
          path,
          message: `"${at}": expected ${types.length > 0 ? types.join(' or ') : 'a value of one of the forms the schema allows'}, received ${describe(value)}`,
          hint: `check the type of "${at}" against the Argo field reference`,
        });
        break;
      }
      case 'required': {
        const missing = String(e.params['missingProperty']);
        findings.push({
          code: 'ARG002',
          path: [...path, missing],
          message: `"${at}": expected the required field "${missing}", received none`,
          hint: `add "${missing}" to "${at}"`,
        });
        break;
      }
      case 'enum':
      case 'const': {
        // Argo substitutes {{…}} before it reads an enum-typed field (resource.action, …): a placeholder passes.
        if (typeof value === 'string' && value.includes('{{')) break;
        const allowed = (e.params['allowedValues'] ?? [e.params['allowedValue']]) as unknown;
        findings.push({
          code: 'ARG003',
          path,
          message: `"${at}": expected one of ${show(allowed)}, received ${describe(value)}`,
          hint: `use one of ${show(allowed)}`,
        });
        break;
      }
      default:
        // A pattern on a {{…}} value is judged by the semantic rules, after substitution as Argo does.
        if (e.keyword === 'pattern' && typeof value === 'string' && value.includes('{{')) break;
        findings.push({
          code: 'ARG004',
          path,
          message: `"${at}": ${e.message ?? e.keyword}, received ${describe(value)}`,
          hint: 'see the Argo Workflows field reference for this field',
        });
    }
  }
  return findings;
}
