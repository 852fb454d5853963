import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const made: string[] = [];

/**
 * A throw-away project of pipeline files inside the workspace (under the git-ignored test/.tmp/), so that
 * `@argots/dsl` resolves from it exactly as from examples/ or pipelines/.
 */
export function fixtureProject(files: Readonly<Record<string, string>>): string {
  const base = join(root, 'test', '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'cli-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export function removeFixtureProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
