import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A folder of entries keyed by the hash of their inputs (`--cache DIR`). Each entry is one file:
 * a first line `argots-cache 1 <sha256 of the rest>` and a JSON body that repeats its own key. An entry whose
 * checksum or key does not match (a truncated copy, a hand edit, another tool's file) is ignored, never
 * trusted; a reader never sees half an entry, because each is written to a temporary file in the same folder
 * and renamed into place (rename is atomic, so two processes writing the same entry leave one whole copy).
 */
export interface ContentCache {
  readonly dir: string;
  /** The body stored under `key`, or undefined when there is none or it is corrupt. */
  read(key: string): unknown;
  write(key: string, body: unknown): void;
}

const magic = 'argots-cache 1';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The key of an entry: the hash of everything it depends on, in order. */
export function cacheKey(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}\n`);
  return h.digest('hex');
}

export function openCache(dir: string): ContentCache {
  const pathOf = (key: string): string => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    dir,
    read(key) {
      let text: string;
      try {
        text = readFileSync(pathOf(key), 'utf8');
      } catch {
        return undefined;
      }
      const nl = text.indexOf('\n');
      if (nl < 0 || text.slice(0, nl) !== `${magic} ${sha256(text.slice(nl + 1))}`) return undefined;
      try {
        const entry = JSON.parse(text.slice(nl + 1)) as { key?: unknown; body?: unknown };
        return entry.key === key ? entry.body : undefined;
      } catch {
        return undefined;
      }
    },
    write(key, body) {
      const file = pathOf(key);
      const json = JSON.stringify({ key, body });
      const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      try {
        mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
        writeFileSync(temp, `${magic} ${sha256(json)}\n${json}`);
        renameSync(temp, file);
      } catch {
        // A cache that cannot be written (read-only, full) costs speed, never correctness.
        rmSync(temp, { force: true });
      }
    },
  };
}

/** The current hash of each file, or undefined for one that cannot be read (it was removed). */
export function fileHashes(files: readonly string[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const f of files) {
    try {
      out.set(f, sha256(readFileSync(f)));
    } catch {
      out.set(f, undefined);
    }
  }
  return out;
}
