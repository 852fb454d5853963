/**
 * A shop with two release branches open: release/1.10 cut from release/1.9 after its fix (so it holds 1.9's
 * commits); staging ran 1.10, then 1.9's fix (the newer deployment in the GitOps history). Then a hotfix is
 * merged into master. Shared by the hotfix flow and hotfix CLI tests.
 */
import { createGitHubClient, updateManifests } from '../../src/index.js';
import { git } from '../github/world.js';
import type { World } from '../github/world.js';
import { createGitops, image } from './gitops.js';

export const APP = 'acme/shop';
export const IMAGE_19 = image('9', '1.9.1');
export const IMAGE_110 = image('a', '1.10.0');

/** master (1.8 in prod), release/1.9 with a fix, release/1.10 cut after it; staging last ran 1.9's fix. Then a hotfix. */
export async function twoReleases(world: World): Promise<{ appUrl: string; gitopsUrl: string; hotfix: string }> {
  const { url: appUrl } = await world.createRepo(APP);
  const gitopsUrl = await createGitops(world);
  const v18 = await world.commit(APP, 'master', { 'app/version.txt': '1.8\n', 'app/login.ts': 'login v1\n' }, 'release 1.8');
  await world.branch(APP, 'dev', v18);
  await world.branch(APP, 'release/1.9', v18);
  const fix19 = await world.commit(APP, 'release/1.9', { 'app/version.txt': '1.9\n' }, 'fix: 1.9');
  await world.branch(APP, 'release/1.10', fix19);
  const r110 = await world.commit(APP, 'release/1.10', { 'app/feature.ts': '1.10\n' }, 'release 1.10');
  const github = createGitHubClient(world.credentials);
  // Staging ran 1.10, then a 1.9 fix was verified there (the newer deployment in the history).
  await updateManifests({ gitopsUrl, updates: [{ service: 'shop-api', env: 'staging', image: IMAGE_110 }], sourceCommit: r110, auth: github.gitAuth });
  await updateManifests({ gitopsUrl, updates: [{ service: 'shop-api', env: 'staging', image: IMAGE_19 }], sourceCommit: fix19, auth: github.gitAuth });
  const hotfix = await world.commit(APP, 'master', { 'app/login.ts': 'login v1 fixed\n' }, 'Merge pull request #9 from acme/hotfix/login');
  return { appUrl, gitopsUrl, hotfix };
}

export async function contains(world: World, commit: string, branch: string): Promise<boolean> {
  return git(world.scratch, '--git-dir', world.gitServer.repoPath(`${APP}.git`), 'merge-base', '--is-ancestor', commit, branch).then(() => true, () => false);
}

export async function stagingOverlay(world: World): Promise<string> {
  return git(world.scratch, '--git-dir', world.gitServer.repoPath('acme/gitops.git'), 'show', 'main:apps/shop-api/overlays/staging/kustomization.yaml');
}

