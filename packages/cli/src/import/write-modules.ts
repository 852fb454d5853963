import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes each module into `outDir`: refuses a file that exists unless `force`, and writes through a temporary
 * file renamed into place, so no half-written module is ever left. Returns the names it refused.
 */
export function writeModules(outDir: string, modules: readonly { fileName: string; content: string }[], force: boolean): { written: string[]; refused: string[] } {
  const written: string[] = [];
  const refused: string[] = [];
  mkdirSync(outDir, { recursive: true });
  for (const m of modules) {
    const target = join(outDir, m.fileName);
    if (existsSync(target) && !force) {
      refused.push(m.fileName);
      continue;
    }
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, m.content);
    renameSync(tmp, target);
    written.push(m.fileName);
  }
  return { written, refused };
}
