// detect-changes --before HEAD~1 (and other revisions): resolved by git to a commit before anything else,
// checked as a revision first (never an option, never shell source), and a clear error when a shallow clone
// lacks the history it needs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { detectChanges } from '../src/detect/detect-changes.js';
import { resolveRevision, revisionProblem } from '../src/detect/revision.js';
import { commit, git, initRepo, remove, tempDir } from './git-fixtures.js';
import { rejection } from './rejection.js';

const RULES = 'services:\n  api: services/api\n  web: services/web\n';

test('HEAD~1..HEAD, main^ and a tag give the same result as the two SHAs', async () => {
  const { dir, first } = await initRepo({ '.argots/changes.yaml': RULES, 'services/api/a.ts': '1\n', 'services/web/b.ts': '1\n' });
  try {
    await git(dir, 'tag', 'v1.0.0', first);
    const after = await commit(dir, 'api change', { 'services/api/a.ts': '2\n' });
    const bySha = await detectChanges({ repo: dir, before: first, after });
    const relative = await detectChanges({ repo: dir, before: 'HEAD~1', after: 'HEAD' });
    const tagged = await detectChanges({ repo: dir, before: 'v1.0.0', after: 'HEAD' });
    const branch = (await git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).trim();
    const caret = await detectChanges({ repo: dir, before: `${branch}^`, after: branch });
    for (const r of [relative, tagged, caret]) {
      assert.equal(r.codeFiles, bySha.codeFiles);
      assert.equal(r.services, bySha.services);
      assert.is(r.kind, 'code');
    }
    assert.equal(bySha.codeFiles, ['services/api/a.ts']);
    assert.is(await resolveRevision(dir, 'HEAD~1', 'before'), first);
  } finally {
    remove(dir);
  }
});

test('text that is not a revision is refused before git sees it: options, ranges, paths, shell syntax', async () => {
  const { dir } = await initRepo({ 'a.ts': '1\n' });
  try {
    const marker = join(dir, 'pwned');
    for (const bad of ['--output=/tmp/x', '-p', 'HEAD~1..HEAD', 'HEAD:a.ts', `$(touch ${marker})`, 'HEAD;touch x', 'a b']) {
      const e = await rejection(resolveRevision(dir, bad, 'before'));
      assert.is(e.code, 'RUN814', bad);
      assert.match(e.message, `"before" ${JSON.stringify(bad)} is not a revision`);
    }
    assert.not.ok(existsSync(marker));
    assert.is(revisionProblem('HEAD~1'), undefined);
    const unknown = await rejection(resolveRevision(dir, 'no-such-branch', 'before'));
    assert.is(unknown.code, 'RUN815');
    assert.match(unknown.message, '"before" "no-such-branch" names no commit in');
  } finally {
    remove(dir);
  }
});

test('a shallow clone: HEAD~1 is fetched by deepening when the remote has it; without the history, a clear error', async () => {
  const { dir: origin } = await initRepo({ '.argots/changes.yaml': RULES, 'services/api/a.ts': '1\n' });
  const clones = tempDir('argots-shallow-');
  try {
    await commit(origin, 'two', { 'services/api/a.ts': '2\n' });
    await commit(origin, 'three', { 'services/web/b.ts': '3\n' });
    const shallow = join(clones, 'deepens');
    await git(clones, 'clone', '--quiet', '--depth', '1', `file://${origin}`, shallow);
    const r = await detectChanges({ repo: shallow, before: 'HEAD~1', after: 'HEAD' });
    assert.equal(r.codeFiles, ['services/web/b.ts']);
    const cut = join(clones, 'cut');
    await git(clones, 'clone', '--quiet', '--depth', '1', `file://${origin}`, cut);
    await git(cut, 'remote', 'remove', 'origin');
    const e = await rejection(detectChanges({ repo: cut, before: 'HEAD~1', after: 'HEAD' }));
    assert.is(e.code, 'RUN815');
    assert.match(e.message, /"before" "HEAD~1" names no commit in the shallow clone ".*cut": the history it needs is cut off/);
    assert.match(e.hint, 'fetch-depth: 0');
  } finally {
    remove(origin);
    remove(clones);
  }
});

test.run();
