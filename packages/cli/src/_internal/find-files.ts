import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { UserError } from './user-error.js';

/** Which files a directory walk picks up, and which directories it never enters. */
export interface FileFilter {
  readonly include: (name: string) => boolean;
  /** What the files are called in messages: "pipeline files (*.ts, *.mts)". */
  readonly description: string;
}

const skippedDirectories = new Set(['node_modules', 'dist']);

/** TypeScript pipeline modules: `*.ts` and `*.mts`, but not tests (`*.test.ts`) or declarations (`*.d.ts`). */
export const pipelineFiles: FileFilter = {
  include: (name) => /\.m?ts$/.test(name) && !/\.d\.m?ts$/.test(name) && !/\.(test|spec)\.m?ts$/.test(name),
  description: 'pipeline files (*.ts, *.mts; not *.test.ts, *.d.ts or node_modules)',
};

/** Argo YAML: `*.yaml` and `*.yml`. */
export const yamlFiles: FileFilter = {
  include: (name) => /\.ya?ml$/.test(name),
  description: 'YAML files (*.yaml, *.yml)',
};

function walk(dir: string, filter: FileFilter, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirectories.has(entry.name)) walk(full, filter, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && filter.include(entry.name)) {
      out.push(full);
    }
  }
}

const globChars = /[*?[]/;

/** A glob (`*`, `**`, `?`, `[abc]`) as a regular expression over absolute paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expands files, directories and globs into a sorted, de-duplicated list of absolute paths. A file named
 * explicitly is taken as is; directories and globs keep only what `filter` includes. A path that does not
 * exist, or a glob that matches nothing, is a user error.
 */
export function findFiles(paths: readonly string[], cwd: string, filter: FileFilter): string[] {
  const found = new Set<string>();
  for (const given of paths) {
    const full = resolve(cwd, given);
    if (globChars.test(given)) {
      const parts = full.split(sep);
      const firstGlob = parts.findIndex((p) => globChars.test(p));
      const base = parts.slice(0, firstGlob).join(sep) || sep;
      const re = globToRegExp(full);
      const candidates: string[] = [];
      try {
        walk(base, { include: () => true, description: filter.description }, candidates);
      } catch {
        // The base directory does not exist: reported below as matching nothing.
      }
      const matched = candidates.filter((f) => re.test(f) && filter.include(f.slice(f.lastIndexOf(sep) + 1)));
      if (matched.length === 0) throw new UserError(`"${given}" matched no ${filter.description}`, 'check the pattern; quote it so the shell does not expand it first');
      for (const f of matched) found.add(f);
      continue;
    }
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new UserError(`"${given}" does not exist (looked for ${full})`, 'pass files or directories that exist, relative to the current directory');
    }
    if (stat.isDirectory()) {
      const inside: string[] = [];
      walk(full, filter, inside);
      for (const f of inside) found.add(f);
    } else {
      found.add(full);
    }
  }
  return [...found].sort();
}

/**
 * The command-line paths of a command that reads both pipelines and YAML (`run`, `simulate`), sorted into
 * pipeline paths and YAML paths; a folder goes to each list it holds files for. `hint` is the refusal's hint
 * for a missing path or a file of another kind.
 */
export function splitPipelineAndYamlPaths(paths: readonly string[], cwd: string, hint: { readonly missing: string; readonly otherKind: string }): { readonly ts: string[]; readonly yaml: string[] } {
  const ts: string[] = [];
  const yaml: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new UserError(`"${p}" does not exist (looked for ${full})`, hint.missing);
    }
    if (isDir) {
      if (findFiles([p], cwd, pipelineFiles).length > 0) ts.push(p);
      if (findFiles([p], cwd, yamlFiles).length > 0) yaml.push(p);
    } else if (/\.ya?ml$/.test(p)) yaml.push(p);
    else if (/\.m?ts$/.test(p)) ts.push(p);
    else throw new UserError(`"${p}" is neither a pipeline (.ts, .mts) nor YAML (.yaml, .yml)`, hint.otherKind);
  }
  return { ts, yaml };
}
