/**
 * Pods start a fresh `argots-runtime` process for every step, so a command loads only what it uses: a local
 * diff (detect-changes, without a GitHub App configured) never loads Octokit and the App-auth stack (~260 ms).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const refuse = fileURLToPath(new URL('./fixtures/load/refuse-octokit.mjs', import.meta.url));

/** Imports a command's handler in a fresh process where any `@octokit/*` import throws. */
function importInFreshProcess(command: string): { status: number | null; stderr: string } {
  const handler = pathToFileURL(fileURLToPath(new URL(`../src/commands/${command}.ts`, import.meta.url))).href;
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--import', refuse, '--input-type=module', '-e', `await import(${JSON.stringify(handler)});`], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

for (const command of ['detect-changes', 'detect-build', 'detect-deploy', 'update-manifests', 'copy-config', 'promote', 'resolve-flow']) {
  test(`importing the ${command} handler does not load the GitHub client`, () => {
    const r = importInFreshProcess(command);
    assert.is(r.status, 0, `${command} loaded the GitHub stack or failed:\n${r.stderr}`);
  });
}

test('the guard itself works: a command that talks to GitHub does load it', () => {
  const r = importInFreshProcess('back-merge');
  assert.is.not(r.status, 0);
  assert.match(r.stderr, 'GITHUB-STACK-LOADED @octokit/');
});

test('--version prints the version of @argots/runtime and loads no command', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--import', refuse, fileURLToPath(new URL('../src/bin.ts', import.meta.url)), '--version'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, `${pkg.version}\n`);
});

test.run();
