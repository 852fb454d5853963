/**
 * The archive reader behind packaged subcharts (`charts/*.tgz`), on archives made by GNU tar in its three
 * formats (ustar, GNU long names, pax), and on bytes that are not such an archive.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTarGz } from '../src/manifests/_internal/tar-gz.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';

const exec = promisify(execFile);
const LONG = `chart/templates/${'a-very-long-template-name-'.repeat(5)}deployment.yaml`;

for (const format of ['ustar', 'gnu', 'pax'] as const) {
  test(`a ${format} archive made by tar: every regular file by path, folders skipped, long names whole`, async () => {
    const dir = tempDir('argots-tar-');
    try {
      const files = { 'chart/Chart.yaml': 'name: chart\n', 'chart/values.yaml': 'image:\n  tag: "1"\n', 'chart/charts/sub/Chart.yaml': 'name: sub\n', ...(format === 'ustar' ? {} : { [LONG]: 'kind: Deployment\n' }) };
      writeFiles(join(dir, 'src'), files);
      await exec('tar', ['--format', format, '-czf', join(dir, 'a.tgz'), '-C', join(dir, 'src'), 'chart']);
      const read = readTarGz(readFileSync(join(dir, 'a.tgz')));
      assert.equal([...read.keys()].sort(), Object.keys(files).sort());
      for (const [path, text] of Object.entries(files)) assert.is(read.get(path)?.toString('utf8'), text);
    } finally {
      remove(dir);
    }
  });
}

test('bytes that are not a gzip tar archive are refused saying what is wrong', () => {
  assert.throws(() => readTarGz(Buffer.from('not an archive\n')), /not gzip-compressed/);
  assert.throws(() => readTarGz(gzipSync(Buffer.alloc(1024, 0x41))), /not a tar archive \(bad header checksum at byte 0\)/);
});

test.run();
