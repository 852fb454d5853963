/**
 * A stale `newTag` beside a digest. kustomize renders an images entry holding both as `repo:tag@digest`, so a
 * reference without a tag (the staging clean-up puts the release's image back by digest) must remove the tag
 * of the image before, or the rendered reference names another build beside this one's digest. Proven with
 * the real `kubectl kustomize`; the removal itself is a byte-precise edit of the YAML editor (removeKey).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setImage } from '../src/manifests/set-image.js';
import { YamlSource } from '../src/manifests/_internal/yaml-source.js';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { RuntimeError } from '../src/runtime-error.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';

const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const REPO = 'registry.staging.acme.io/shop/api';

/** Removes `key` from the map at `path` of the first document, and returns the checked result. */
function removed(text: string, path: readonly (string | number)[], key: string): string {
  const src = new YamlSource('x.yaml', text);
  const map = src.docs[0]!.getIn(path, true) as YAMLMap;
  assert.ok(src.removeKey(map, key), `${key} was found`);
  return src.checkedResult();
}

test('removeKey takes a block entry\'s whole line with its comment, and leaves the comments and blank lines around', () => {
  const text = 'images:\n  - name: shop/api # the API\n    # the tag of the build\n    newTag: dev-41 # moved by CI\n\n    digest: sha256:abc\n';
  assert.is(removed(text, ['images', 0], 'newTag'), 'images:\n  - name: shop/api # the API\n    # the tag of the build\n\n    digest: sha256:abc\n');
});

test('removeKey of the last entry of a file without a final line break, with CRLF line endings', () => {
  assert.is(removed('images:\r\n  - name: shop/api\r\n    newTag: dev-41', ['images', 0], 'newTag'), 'images:\r\n  - name: shop/api');
  assert.is(removed('images:\r\n  - name: shop/api\r\n    newTag: dev-41\r\n', ['images', 0], 'newTag'), 'images:\r\n  - name: shop/api\r\n');
});

test('removeKey of the first entry of a list item moves the next entry up after the "- "', () => {
  assert.is(removed('images:\n  - newTag: "dev-41"\n    name: shop/api\n', ['images', 0], 'newTag'), 'images:\n  - name: shop/api\n');
});

test('removeKey in flow maps: an entry in the middle goes with its comma, the last one with the comma before it', () => {
  assert.is(removed('images: [{ name: shop/api, newTag: dev-41, digest: sha256:abc }]\n', ['images', 0], 'newTag'), 'images: [{ name: shop/api, digest: sha256:abc }]\n');
  assert.is(removed('images: [{ name: shop/api, newTag: dev-41 }]\n', ['images', 0], 'newTag'), 'images: [{ name: shop/api }]\n');
});

test('removeKey refuses what it cannot remove cleanly, and reports a missing key as nothing removed', () => {
  const refused = (text: string, key: string, why: RegExp): void => {
    const src = new YamlSource('k.yaml', text);
    const map = (src.docs[0]!.get('images', true) as YAMLSeq).items[0] as YAMLMap;
    try {
      src.removeKey(map, key);
      assert.unreachable(`removing ${key} from ${JSON.stringify(text)} was accepted`);
    } catch (e) {
      assert.instance(e, RuntimeError);
      assert.is((e as RuntimeError).code, 'RUN701');
      assert.match((e as RuntimeError).message, why);
      assert.not.ok(src.changed, 'nothing was spliced');
    }
  };
  refused('images:\n  - newTag: dev-41\n', 'newTag', /only entry/);
  refused('images:\n  - name: a\n    newTag:\n      nested: 1\n', 'newTag', /expected a plain value, received a map/);
  refused('images:\n  - name: a\n    newTag: >-\n      folded\n', 'newTag', /goes on past its line/);
  const src = new YamlSource('k.yaml', 'images:\n  - name: a\n');
  assert.not.ok(src.removeKey((src.docs[0]!.get('images', true) as YAMLSeq).items[0] as YAMLMap, 'newTag'));
  assert.not.ok(src.changed);
});

test('the edit check still refuses a key that disappears where no removal was asked for', () => {
  const src = new YamlSource('k.yaml', 'images:\n  - name: a\n    newTag: b\n');
  // A splice that drops the key's text but writes something else over it is not a removal.
  src.addSplice({ start: 'images:\n  - name: a\n'.length, end: 'images:\n  - name: a\n    newTag: b\n'.length, text: '    other: b\n' });
  assert.throws(() => src.checkedResult(), /RUN703|would disappear/);
});

function kustomize(kustomization: string): string {
  const dir = tempDir('argots-stale-tag-');
  try {
    writeFiles(dir, {
      'kustomization.yaml': kustomization,
      'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers:\n        - name: api\n          image: shop/api:latest\n',
    });
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    return /image: (\S+)/.exec(out)?.[1] ?? '';
  } finally {
    remove(join(dir));
  }
}

test('a reference without a tag removes the tag left beside the digest: kubectl kustomize renders exactly repo@digest', () => {
  const deployedByHotfix = `resources:\n  - deployment.yaml\nimages:\n  - name: shop/api\n    newName: ${REPO}\n    newTag: hotfix-7f3a9c1 # the hotfix build\n    digest: ${OLD}\n`;
  // What the stale tag does: kustomize puts both in the reference.
  assert.is(kustomize(deployedByHotfix), `${REPO}:hotfix-7f3a9c1@${OLD}`);
  const r = setImage(deployedByHotfix, { image: `${REPO}@${NEW}`, file: 'kustomization.yaml', names: ['shop/api'] });
  assert.ok(r.changed);
  assert.is(r.text, `resources:\n  - deployment.yaml\nimages:\n  - name: shop/api\n    newName: ${REPO}\n    digest: ${NEW}\n`);
  assert.is(kustomize(r.text), `${REPO}@${NEW}`);
});

test('a reference with a tag still writes the tag beside the digest, and an entry without a tag is left without one', () => {
  const given = `resources:\n  - deployment.yaml\nimages:\n  - name: shop/api\n    newName: ${REPO}\n    newTag: release-1.9\n    digest: ${OLD}\n`;
  const tagged = setImage(given, { image: `${REPO}:release-2.0@${NEW}`, file: 'kustomization.yaml', names: ['shop/api'] });
  assert.is(kustomize(tagged.text), `${REPO}:release-2.0@${NEW}`);
  const untagged = `resources:\n  - deployment.yaml\nimages:\n  - name: shop/api\n    newName: ${REPO}\n    digest: ${OLD}\n`;
  const r = setImage(untagged, { image: `${REPO}@${NEW}`, file: 'kustomization.yaml', names: ['shop/api'] });
  assert.is(r.text, untagged.replace(OLD, NEW));
  assert.is(kustomize(r.text), `${REPO}@${NEW}`);
});

test.run();
