/**
 * Sorts changed files into code, configuration and deleted configuration, overall and per service, one file
 * at a time (as the diff is read).
 */
import type { ChangeRules, FileClass } from '../change-rules.js';
import type { ChangedFile, ChangeKind, DetectChangesResult } from '../detect-changes.js';

/** Paths by kind of change, in the order found (a path may come twice: `sorted` removes the repeat). */
interface Buckets {
  readonly code: string[];
  readonly config: string[];
  readonly deletedConfig: string[];
}

const buckets = (): Buckets => ({ code: [], config: [], deletedConfig: [] });

/** `oldClass`: the class of a renamed file's old path. */
function place(b: Buckets, f: ChangedFile, oldClass: FileClass | undefined): void {
  if (f.status === 'D') {
    if (f.class === 'config') b.deletedConfig.push(f.path);
    else if (f.class === 'code') b.code.push(f.path);
    return;
  }
  if (f.class === 'config') b.config.push(f.path);
  else if (f.class === 'code') b.code.push(f.path);
  if (f.status === 'R' && f.oldPath !== undefined) {
    // The old name is gone: a config file under it must be removed where it was copied.
    if (oldClass === 'config') b.deletedConfig.push(f.oldPath);
    else if (oldClass === 'code') b.code.push(f.oldPath);
  }
}

function kindOf(b: Buckets): ChangeKind {
  return b.code.length > 0 ? 'code' : b.config.length > 0 || b.deletedConfig.length > 0 ? 'config' : 'none';
}

/** Sorted, each path once. */
function sorted(paths: readonly string[]): string[] {
  // git lists paths in order, so this is usually a check: every path after the one before it.
  let ordered = true;
  for (let i = 1; i < paths.length && ordered; i++) ordered = (paths[i - 1] as string) < (paths[i] as string);
  if (ordered) return paths.slice();
  const out = paths.slice().sort();
  let n = 0;
  for (const p of out) if (n === 0 || out[n - 1] !== p) out[n++] = p;
  out.length = n;
  return out;
}

/** The part of a detection's result that the tally makes. */
export type Tally = Pick<DetectChangesResult, 'kind' | 'codeFiles' | 'configFiles' | 'deletedConfigFiles' | 'services'>;

export class ChangeTally {
  readonly files: ChangedFile[] = [];
  readonly #all = buckets();
  readonly #per: ReadonlyMap<string, Buckets>;

  constructor(private readonly rules: ChangeRules) {
    this.#per = new Map(rules.services.map((s) => [s.name, buckets()]));
  }

  add(f: ChangedFile): void {
    this.files.push(f);
    const oldClass = f.status === 'R' && f.oldPath !== undefined ? this.rules.classify(f.oldPath) : undefined;
    place(this.#all, f, oldClass);
    if (this.#per.size === 0) return;
    let names = this.rules.servicesOf(f.path);
    if (f.oldPath !== undefined) {
      const old = this.rules.servicesOf(f.oldPath).filter((n) => !names.includes(n));
      if (old.length > 0) names = [...names, ...old];
    }
    for (let i = 0; i < names.length; i++) {
      const b = this.#per.get(names[i] as string);
      if (b) place(b, f, oldClass);
    }
  }

  result(): Tally {
    const all = this.#all;
    return {
      kind: kindOf(all),
      codeFiles: sorted(all.code),
      configFiles: sorted(all.config),
      deletedConfigFiles: sorted(all.deletedConfig),
      services: [...this.#per].map(([name, b]) => ({ name, kind: kindOf(b), codeFiles: sorted(b.code), configFiles: sorted(b.config), deletedConfigFiles: sorted(b.deletedConfig) })),
    };
  }
}
