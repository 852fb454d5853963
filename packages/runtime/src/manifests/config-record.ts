/**
 * What copy-config itself wrote into an environment, kept in the GitOps repository beside the layout:
 * `.argots/config-copies/<service>/<env>.json` maps each GitOps path argots wrote to the application file it
 * came from and the sha256 of what it wrote. With it, `copy-config --all` mirrors a removal in the source:
 * a recorded file whose source is gone is removed — unless someone changed it in the GitOps repository since
 * (then it is left and reported). Files argots never wrote are never removed, only reported.
 * The record lies outside every environment's path, so Argo CD never renders it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { RuntimeError } from '../runtime-error.js';

export interface RecordedCopy {
  /** The application file it was copied from. */
  readonly source: string;
  /** `sha256:<hex>` of the bytes argots wrote. */
  readonly sha256: string;
}

export type ConfigRecord = Map<string, RecordedCopy>;

export const recordPath = (service: string, env: string): string => posix.join('.argots', 'config-copies', service, `${env}.json`);

export const sha256Of = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The record of `service` in `env` in the GitOps checkout `repo` (empty when there is none yet). */
export function readConfigRecord(repo: string, service: string, env: string): ConfigRecord {
  const path = recordPath(service, env);
  const full = join(repo, path);
  const record: ConfigRecord = new Map();
  if (!existsSync(full)) return record;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(full, 'utf8'));
  } catch (e) {
    throw new RuntimeError('RUN754', `"${path}" in the GitOps repository is not valid JSON: ${(e as Error).message}`, {
      hint: 'it is written by copy-config; restore it from the history (git log -- the file), or delete it: nothing is removed for files it does not list',
    });
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if (!files || typeof files !== 'object' || Array.isArray(files)) {
    throw new RuntimeError('RUN754', `"${path}" in the GitOps repository has no "files" object`, { hint: 'restore it from the history, or delete it' });
  }
  for (const [dest, entry] of Object.entries(files as Record<string, unknown>)) {
    const e = entry as Partial<RecordedCopy> | null;
    if (typeof e?.source === 'string' && typeof e.sha256 === 'string' && /^sha256:[0-9a-f]{64}$/.test(e.sha256)) record.set(dest, { source: e.source, sha256: e.sha256 });
  }
  return record;
}

/** Writes the record (sorted, so the same copies give the same bytes); returns whether the file changed. */
export function writeConfigRecord(repo: string, service: string, env: string, record: ConfigRecord): boolean {
  const path = join(repo, recordPath(service, env));
  const files = Object.fromEntries([...record.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([dest, e]) => [dest, { source: e.source, sha256: e.sha256 }]));
  const text = `${JSON.stringify({ service, env, files }, null, 2)}\n`;
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  if (record.size === 0 && !existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return true;
}
