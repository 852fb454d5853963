/** The diff read piece by piece, as git writes it, gives exactly what reading it whole gives. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawDiffReader } from '../src/detect/_internal/raw-diff-reader.js';
import type { ChangedFile } from '../src/detect/detect-changes.js';

const sha = 'a'.repeat(40);
const entry = (modes: string, status: string, ...paths: string[]): string => `:${modes} ${sha} ${sha} ${status}\0${paths.map((p) => `${p}\0`).join('')}`;
const OUT = [
  entry('100644 100644', 'M', 'src/a b.ts'),
  entry('000000 100644', 'A', 'deploy/new.yaml'),
  entry('100644 100644', 'R087', 'deploy/old.yaml', 'deploy/renamed.yaml'),
  entry('100644 100644', 'C100', 'a.env', 'b.env'),
  entry('160000 160000', 'M', 'vendor/lib'),
  entry('100644 000000', 'D', 'ünïcode/ß.md'),
].join('');

const classify = (p: string): 'code' | 'config' | 'ignored' => (p.endsWith('.md') ? 'ignored' : p.endsWith('.yaml') || p.endsWith('.env') ? 'config' : 'code');

function read(pieces: readonly string[]): ChangedFile[] {
  const files: ChangedFile[] = [];
  const reader = new RawDiffReader((f) => files.push(f), classify);
  for (const p of pieces) reader.push(p);
  reader.end();
  return files;
}

test('given the output whole, each entry becomes a file', () => {
  assert.equal(read([OUT]).map((f) => [f.path, f.status, f.oldPath ?? null, f.class]), [
    ['src/a b.ts', 'M', null, 'code'],
    ['deploy/new.yaml', 'A', null, 'config'],
    ['deploy/renamed.yaml', 'R', 'deploy/old.yaml', 'config'],
    ['b.env', 'A', 'a.env', 'config'],
    ['vendor/lib', 'S', null, 'code'],
    ['ünïcode/ß.md', 'D', null, 'ignored'],
  ]);
});

test('given the output cut anywhere, into two or three pieces or one character at a time, the files are the same', () => {
  const whole = read([OUT]);
  for (let i = 0; i <= OUT.length; i++) {
    assert.equal(read([OUT.slice(0, i), OUT.slice(i)]), whole, `cut at ${i}`);
    const j = Math.min(OUT.length, i + 7);
    assert.equal(read([OUT.slice(0, i), OUT.slice(i, j), OUT.slice(j)]), whole, `cut at ${i} and ${j}`);
  }
  assert.equal(read([...OUT]), whole);
});

test('given output that ends inside an entry, the missing fields are empty, as when read whole', () => {
  const cut = OUT.slice(0, OUT.indexOf('deploy/old.yaml') + 'deploy/old.yaml'.length + 1); // the rename lacks its new path
  const files = read([cut]);
  assert.equal(files[files.length - 1], { path: '', status: 'R', oldPath: 'deploy/old.yaml', class: 'code' });
  for (let i = 0; i <= cut.length; i++) assert.equal(read([cut.slice(0, i), cut.slice(i)]), files, `cut at ${i}`);
  assert.equal(read(['']), []);
  assert.equal(read(['\0\0']), []);
});

test('given --name-status output (no modes), the same files, cut anywhere; a path that looks like a mode is a path', () => {
  const status = (letter: string, ...paths: string[]): string => `${letter}\0${paths.map((p) => `${p}\0`).join('')}`;
  const out = [
    status('M', 'src/a b.ts'),
    status('A', 'deploy/new.yaml'),
    status('R087', 'deploy/old.yaml', 'deploy/renamed.yaml'),
    status('D', 'ünïcode/ß.md'),
    status('M', '160000 160000'),
    status('T', 'link'),
  ].join('');
  const whole = read([out]);
  assert.equal(whole.map((f) => [f.path, f.status, f.oldPath ?? null, f.class]), [
    ['src/a b.ts', 'M', null, 'code'],
    ['deploy/new.yaml', 'A', null, 'config'],
    ['deploy/renamed.yaml', 'R', 'deploy/old.yaml', 'config'],
    ['ünïcode/ß.md', 'D', null, 'ignored'],
    ['160000 160000', 'M', null, 'code'],
    ['link', 'T', null, 'code'],
  ]);
  for (let cut = 1; cut < out.length; cut++) assert.equal(read([out.slice(0, cut), out.slice(cut)]), whole, `cut at ${cut}`);
});

test.run();
