import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unifiedDiff } from '../src/_internal/unified-diff.js';

/** GNU diff's hunks for the same two texts: the reference the diff must agree with. */
function gnuHunks(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'argots-diff-'));
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  try {
    execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    return '';
  } catch (error) {
    const out = (error as { stdout: string }).stdout;
    return out.split('\n').slice(2).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function ownHunks(before: string, after: string): string {
  return unifiedDiff('x', 'x', before, after).split('\n').slice(2).join('\n');
}

/** Applies unified-diff hunks to the old lines, checking every context and deleted line on the way. */
function applyPatch(a: readonly string[], hunks: string): string[] {
  const out: string[] = [];
  let pos = 0;
  for (const line of hunks.split('\n')) {
    const header = /^@@ -(\d+),(\d+) /.exec(line);
    if (header) {
      const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
      while (pos < start) out.push(a[pos++]!);
    } else if (line.startsWith(' ') || line.startsWith('-')) {
      assert.is(a[pos], line.slice(1));
      if (line.startsWith(' ')) out.push(a[pos]!);
      pos += 1;
    } else if (line.startsWith('+')) out.push(line.slice(1));
  }
  while (pos < a.length) out.push(a[pos++]!);
  return out;
}

test('given equal texts, the diff is empty', () => {
  assert.is(unifiedDiff('f', 'f', 'a\nb\n', 'a\nb\n'), '');
});

test('given one changed line in a long file, one hunk with three lines of context each side', () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  const before = `${lines.join('\n')}\n`;
  const after = before.replace('line 10\n', 'line ten\n');
  const diff = unifiedDiff('manifests/a.yaml', 'manifests/a.yaml', before, after);
  assert.is(diff, ['--- a/manifests/a.yaml', '+++ b/manifests/a.yaml', '@@ -8,7 +8,7 @@', ' line 7', ' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12', ' line 13', ''].join('\n'));
});

test('given a missing file, the diff adds every line from /dev/null', () => {
  assert.is(unifiedDiff('p', 'p', undefined, 'a\nb\n'), '--- /dev/null\n+++ b/p\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.is(unifiedDiff('p', 'p', 'a\n', undefined), '--- a/p\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
});

test('given random edits, the hunks match GNU diff -u line for line', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 40; round += 1) {
    const a = Array.from({ length: 5 + rand(40) }, () => `l${rand(6)}`);
    const b = [...a];
    for (let e = 0; e < 1 + rand(5); e += 1) {
      const at = rand(b.length + 1);
      if (rand(2) === 0) b.splice(at, 1);
      else b.splice(at, 0, `new${rand(3)}`);
    }
    const before = `${a.join('\n')}\n`;
    const after = b.length > 0 ? `${b.join('\n')}\n` : '';
    const own = ownHunks(before, after);
    const gnu = gnuHunks(before, after);
    // Both are minimal; they may choose different but equally short edits, so compare what they imply.
    const count = (d: string, c: string): number => d.split('\n').filter((l) => l.startsWith(c)).length;
    assert.is(count(own, '-'), count(gnu, '-'), `deletions, round ${round}`);
    assert.is(count(own, '+'), count(gnu, '+'), `additions, round ${round}`);
    assert.equal(applyPatch(a, own), b, `patching the old text gives the new one, round ${round}`);
  }
});

test.run();
