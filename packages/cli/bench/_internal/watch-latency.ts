import { spawn } from 'node:child_process';
import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WatchLatency {
  /** Milliseconds from the write of the edited source to the new YAML on disk, one per edit. */
  readonly samples: readonly number[];
  /** How long the first compile of everything took (the watcher's start). */
  readonly startMs: number;
}

/**
 * Starts `argots compile SRC --out OUT --watch` (a real process), waits for its first compile, then edits one
 * pipeline file `edits` times (a different image each time) and measures, for each, the time from the write
 * to the output file holding the new content (noticed through a file-system watch on the output folder, then
 * read). `fileOf(i)` is the source of edit i, `outputOf(i)` the YAML it compiles to, `sourceWith(i, image)`
 * its new content.
 */
export async function measureWatch(
  command: readonly string[],
  cwd: string,
  edits: number,
  fileOf: (i: number) => string,
  outputOf: (i: number) => string,
  sourceWith: (i: number, image: string) => string,
): Promise<WatchLatency> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    while (!err.includes('watching')) {
      if (child.exitCode !== null) throw new Error(`the watcher exited: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const startMs = performance.now() - started;
    const samples: number[] = [];
    for (let i = 0; i < edits; i += 1) {
      const image = `alpine:3.${30 + i}`;
      const output = outputOf(i);
      const done = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no new ${output} after 60 s\n${out}\n${err}`)), 60_000);
        const check = (): boolean => {
          if (existsSync(output) && readFileSync(output, 'utf8').includes(image)) {
            const at = performance.now();
            clearTimeout(timer);
            watcher.close();
            resolve(at);
            return true;
          }
          return false;
        };
        const watcher = watch(dirname(output), () => void check());
      });
      const t0 = performance.now();
      writeFileSync(fileOf(i), sourceWith(i, image));
      samples.push((await done) - t0);
      // Let the watcher settle between edits (one save at a time, as a person types and saves).
      await new Promise((r) => setTimeout(r, 300));
    }
    return { samples, startMs };
  } finally {
    child.kill('SIGINT');
    const code = await exited;
    if (code !== 0) console.log(`(the watcher exited with ${code} on SIGINT)\n${err.slice(-2000)}`);
  }
}
