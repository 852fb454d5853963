import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgress } from '../../src/promote/progress.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Waits (up to 5 s) until `lines` holds at least `n` entries: timers on a loaded machine fire late. */
async function atLeast(lines: readonly string[], n: number): Promise<void> {
  for (let waited = 0; lines.length < n && waited < 5000; waited += 10) await wait(10);
}

test('in a pod (no TTY), progress is a plain log line every interval and one at the end', async () => {
  const lines: string[] = [];
  const p = createProgress({ interactive: false, write: (t) => lines.push(t), intervalMs: 20, label: 'promote dev → staging' });
  p.blobPlanned(2 * 1024 * 1024);
  p.blobPlanned(1024);
  p.bytes(1024 * 1024);
  await atLeast(lines, 2);
  p.bytes(1024 * 1024);
  p.blobDone('copied', 2 * 1024 * 1024);
  p.blobDone('present', 1024);
  p.finish();
  assert.ok(lines.length >= 3, `expected periodic lines, received ${lines.length}`);
  for (const l of lines) {
    assert.not.match(l, '\r', 'no terminal control characters in a pod log');
    assert.ok(l.endsWith('\n'));
  }
  assert.match(lines[0] ?? '', /^promote dev → staging: layers 0\/2 .*1\.0 MB of 2\.0 MB moved/);
  assert.match(lines.at(-1) ?? '', /layers 2\/2 \(copied 1, mounted 0, present 1\), 2\.0 MB of 2\.0 MB moved, [\d.]+ \w+\/s/);
  const count = lines.length;
  await wait(50);
  assert.is(lines.length, count, 'nothing after finish');
});

test('on a TTY, progress redraws one line in place', async () => {
  const out: string[] = [];
  const p = createProgress({ interactive: true, write: (t) => out.push(t), intervalMs: 10 });
  p.blobPlanned(100);
  await atLeast(out, 1);
  p.blobDone('mounted', 100);
  p.finish();
  assert.ok(out.length >= 2);
  for (const t of out) assert.ok(t.startsWith('\r\x1b[2K'), 'each redraw returns to the start of the line and clears it');
  assert.match(out.at(-1) ?? '', /layers 1\/1 \(copied 0, mounted 1, present 0\).*\n$/);
});

test.run();
