import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createReadStream, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { readTar } from '../../src/executors/sandbox/tar-reader.js';
import { applyFolderModes, unpackLayer, type FolderModes } from '../../src/executors/sandbox/unpack-layer.js';

// Layers written by GNU tar in its three formats (GNU long names, POSIX pax records, plain ustar with a
// prefix field), read back by the sandbox's tar reader and applied to an empty root: the same tree comes out.
const work = mkdtempSync(join(tmpdir(), 'argots-tar-layers-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const LONG_DIR = `deep/${'d'.repeat(60)}/${'e'.repeat(60)}`;
const LONG_FILE = `${'f'.repeat(90)}.txt`;

function makeSource(): string {
  const src = join(work, 'src');
  mkdirSync(join(src, LONG_DIR), { recursive: true });
  writeFileSync(join(src, LONG_DIR, LONG_FILE), 'long path\n');
  writeFileSync(join(src, 'unicode-é-文件.txt'), 'unicode\n');
  writeFileSync(join(src, 'exec.sh'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(src, 'big.bin'), Buffer.alloc(300_000, 7));
  linkSync(join(src, 'big.bin'), join(src, 'big-hardlink.bin'));
  symlinkSync(`../${'t'.repeat(120)}/target`, join(src, 'long-link'));
  mkdirSync(join(src, 'readonly'), { mode: 0o555 });
  return src;
}

function treeOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const stat = lstatSync(path);
      const what = stat.isSymbolicLink() ? `-> ${readlinkSync(path)}` : stat.isDirectory() ? 'dir' : `${readFileSync(path).length} bytes, ${stat.nlink} links`;
      out.push(`${rel}${name} ${(stat.mode & 0o777).toString(8)} ${what}`);
      if (stat.isDirectory()) walk(path, `${rel}${name}/`);
    }
  };
  walk(dir, '');
  return out;
}

const src = makeSource();
const expected = treeOf(src);

for (const format of ['gnu', 'pax', 'ustar'] as const) {
  test(`a layer written by GNU tar --format=${format} unpacks to the same tree`, async () => {
    const archive = join(work, `layer-${format}.tar.gz`);
    const names = format === 'ustar' ? readdirSync(src).filter((n) => n !== 'long-link') : readdirSync(src);
    execFileSync('tar', ['-czf', archive, `--format=${format}`, '-C', src, ...names.sort()]);
    const root = join(work, `root-${format}`);
    mkdirSync(root);
    const folders: FolderModes = { modes: new Map() };
    await unpackLayer(root, { name: `layer (${format})`, open: () => createReadStream(archive).pipe(createGunzip()) }, folders);
    await applyFolderModes(folders);
    // Folders keep their owner's rwx in the cache (so that its owner can remove it); the rest is as archived.
    const want = (format === 'ustar' ? expected.filter((l) => !l.startsWith('long-link')) : expected).map((l) => l.replace(/^readonly 555 dir$/, 'readonly 755 dir'));
    assert.equal(treeOf(root), want);
  });
}

test('the reader stops at the end-of-archive blocks and refuses a corrupt header', async () => {
  const tarFile = join(work, 'plain.tar');
  execFileSync('tar', ['-cf', tarFile, '-C', src, 'exec.sh']);
  const entries: string[] = [];
  for await (const e of readTar(createReadStream(tarFile))) entries.push(`${e.path} ${e.type} ${e.size}`);
  assert.equal(entries, ['exec.sh file 10']);
  const bytes = readFileSync(tarFile);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  try {
    for await (const _ of readTar((async function* () { yield bytes; })())) void _;
    assert.unreachable('a corrupt header was read');
  } catch (error) {
    assert.match((error as Error).message, /wrong checksum/);
  }
});

test.run();
