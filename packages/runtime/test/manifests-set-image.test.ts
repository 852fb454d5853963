/**
 * Golden tests: each fixture `<case>.input.yaml` is edited and compared byte for byte with
 * `<case>.expected.yaml`. Expected files are written only on request (ARGOTS_UPDATE_GOLDEN=1) and reviewed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { setImage } from '../src/manifests/set-image.js';
import type { SetImageOptions } from '../src/manifests/set-image.js';
import { RuntimeError } from '../src/runtime-error.js';

const dir = join(import.meta.dirname, 'fixtures', 'manifests');
const DIGEST = `sha256:${'2'.repeat(64)}`;
const IMAGE = `registry.dev.acme.io/shop/api:1.4.2@${DIGEST}`;

interface Case {
  readonly name: string;
  readonly given: string;
  readonly options: Omit<SetImageOptions, 'image'>;
  /** Every line removed or added must match this. */
  readonly touched: RegExp;
}

const cases: Case[] = [
  { name: 'kustomize-crlf', given: 'a Kustomization with CRLF line endings, a document marker, comments and mixed quoting', options: { names: ['shop/api'] }, touched: /^\s+(newTag|digest): .*\r$/ },
  { name: 'kustomize-no-digest', given: 'a Kustomization images entry without newName or digest', options: { names: ['shop/api'] }, touched: /^\s+(newTag|newName|digest): / },
  { name: 'helm-values', given: 'Helm values with a tag but no digest', options: { format: 'helm-values' }, touched: /^\s+(tag|digest): / },
  { name: 'helm-values-no-image', given: 'Helm values without an image section', options: { format: 'helm-values' }, touched: /^(image:|\s+(repository|tag|digest): )/ },
  { name: 'helm-values-custom-paths', given: 'Helm values with configured paths and no digest value', options: { format: 'helm-values', helm: { repository: 'api.image.repo', tag: 'api.image.version', digest: '' } }, touched: /^\s+version: / },
  { name: 'argocd-application', given: 'an Argo CD Application with helm parameters (no digest parameter yet), values and valuesObject', options: {}, touched: /^\s+(- name: image\.digest$|(value|tag|digest|repository): )/ },
  { name: 'argocd-applicationset-kustomize', given: 'an ApplicationSet with inline kustomize images and a $values file', options: { names: ['shop/api'] }, touched: /^\s+- shop\/api=/ },
  { name: 'workloads', given: 'a Deployment, Service, CronJob and Rollout in one file', options: {}, touched: /image: / },
  { name: 'statefulset', given: 'a StatefulSet with an init container, volume claim templates and another image', options: {}, touched: /image: / },
  { name: 'kustomize-crlf-insert', given: 'a Kustomization with CRLF line endings whose images entry has neither newTag nor digest', options: { names: ['shop/api'] }, touched: /^\s+(newTag|digest): .*\r$/ },
  { name: 'helm-values-crlf-insert', given: 'Helm values with CRLF line endings, no digest and no final line break', options: { format: 'helm-values' }, touched: /^\s+(tag|digest): / },
  { name: 'argocd-application-flow-values', given: 'Argo CD Applications whose valuesObject is a nested flow map, on one line and across several lines with comments and trailing commas', options: {}, touched: /^\s+(valuesObject: \{|(tag|repository|digest): )/ },
  { name: 'helm-values-nested-flow', given: 'Helm values whose image sits in flow maps nested three deep', options: { format: 'helm-values', helm: { repository: 'shop.api.image.repository', tag: 'shop.api.image.tag', digest: 'shop.api.image.digest' } }, touched: /^shop: \{/ },
  { name: 'argocd-application-embedded-values', given: 'Argo CD Applications whose helm.values block has more values after the image, in block and in multi-line flow style', options: {}, touched: /^\s+(tag|repository|digest): / },
  { name: 'argocd-application-flow-sources', given: 'an Argo CD Application whose sources, helm parameters (with a trailing comma) and valuesObject are nested flow collections', options: {}, touched: /^\s+(\{ ?name: image\.(tag|digest), |valuesObject: \{)/ },
];

for (const c of cases) {
  test(`given ${c.given}, setImage changes only the image values (golden ${c.name})`, () => {
    const input = readFileSync(join(dir, `${c.name}.input.yaml`), 'utf8');
    const r = setImage(input, { image: IMAGE, file: `${c.name}.input.yaml`, ...c.options });
    const expectedPath = join(dir, `${c.name}.expected.yaml`);
    if (process.env['ARGOTS_UPDATE_GOLDEN'] === '1' || !existsSync(expectedPath)) {
      if (process.env['ARGOTS_UPDATE_GOLDEN'] !== '1') assert.unreachable(`missing golden file ${expectedPath}; run with ARGOTS_UPDATE_GOLDEN=1 and review it`);
      writeFileSync(expectedPath, r.text);
    }
    assert.ok(r.changed);
    assert.ok(r.matched > 0);
    assert.fixture(r.text, readFileSync(expectedPath, 'utf8'));
    // Nothing else changed: every line of the input that is not an image value is still there, in order.
    const before = input.split('\n');
    const after = r.text.split('\n');
    const kept = before.filter((l) => after.includes(l));
    for (const l of before.filter((x) => !after.includes(x))) assert.match(l, c.touched, `unexpected change of line ${JSON.stringify(l)}`);
    for (const l of after.filter((x) => !before.includes(x))) assert.match(l, c.touched, `unexpected new line ${JSON.stringify(l)}`);
    assert.ok(kept.length >= before.length - 8);
    // Line endings kept.
    if (input.includes('\r\n')) assert.not.match(r.text.replace(/\r\n/g, ''), '\n', 'every line still ends in CRLF');
    // The result is valid YAML that now carries the digest.
    for (const d of parseAllDocuments(r.text)) assert.equal(d.errors, []);
    assert.match(r.text, DIGEST);
    // Idempotent: the same image again changes nothing.
    const again = setImage(r.text, { image: IMAGE, ...c.options });
    assert.not.ok(again.changed);
    assert.is(again.text, r.text);
  });
}

test('the ApplicationSet reports its $values file so that file is edited too', () => {
  const r = setImage(readFileSync(join(dir, 'argocd-applicationset-kustomize.input.yaml'), 'utf8'), { image: IMAGE, names: ['shop/api'] });
  assert.equal(r.valueFiles, ['apps/shop-api/values-dev.yaml']);
});

test('a key written without a value gets the value in its own place, and nothing after it moves', () => {
  const D = DIGEST;
  const R = 'registry.dev.acme.io/shop/api';
  const cases: [given: string, expected: string][] = [
    // a flow map's bare key: the next ":" in the file belongs to another key
    ['image: {repository: shop/api, tag}\nother: {a: 1}\n', `image: {repository: ${R}, tag: 1.4.2, digest: ${D}}\nother: {a: 1}\n`],
    ['image: { tag , repository: shop/api }\nz: 1\n', `image: { tag: 1.4.2 , repository: ${R}, digest: ${D} }\nz: 1\n`],
    // `tag:` followed by a comment: the comment stays a comment
    ['image:\n  tag :   # set by CI\n  repository: x\n', `image:\n  tag :   1.4.2 # set by CI\n  repository: ${R}\n  digest: ${D}\n`],
    // an explicit key; new keys are indented as the map is, not as the key after "? "
    ['image:\n  ? tag\n  : \n  repository: x\n', `image:\n  ? tag\n  : 1.4.2\n  repository: ${R}\n  digest: ${D}\n`],
  ];
  for (const [given, expected] of cases) {
    const r = setImage(given, { image: IMAGE, format: 'helm-values' });
    assert.is(r.text, expected, given);
    assert.is(setImage(r.text, { image: IMAGE, format: 'helm-values' }).changed, false, `again: ${given}`);
  }
});

test('a tag written as a block scalar (tag: |) is replaced with its content; the lines after it stay', () => {
  const R = 'registry.dev.acme.io/shop/api';
  const cases: [given: string, expected: string][] = [
    ['image:\n  repository: x\n  tag: |\n    1.0.0\n  pullPolicy: Always\n', `image:\n  repository: ${R}\n  tag: "1.4.2"\n  pullPolicy: Always\n  digest: ${DIGEST}\n`],
    ['image:\n  repository: x\n  tag: >-\n    1.0.0\n\n  pullPolicy: Always\n', `image:\n  repository: ${R}\n  tag: "1.4.2"\n\n  pullPolicy: Always\n  digest: ${DIGEST}\n`],
    ['image:\n  repository: x\n  tag: |\n    1.0.0\n', `image:\n  repository: ${R}\n  tag: "1.4.2"\n  digest: ${DIGEST}\n`],
    ['image:\r\n  repository: x\r\n  tag: |\r\n    1.0.0\r\n  pullPolicy: Always\r\n', `image:\r\n  repository: ${R}\r\n  tag: "1.4.2"\r\n  pullPolicy: Always\r\n  digest: ${DIGEST}\r\n`],
  ];
  for (const [given, expected] of cases) assert.is(setImage(given, { image: IMAGE, format: 'helm-values' }).text, expected, given);
});

test('a value shared through an anchor is not edited where the edit would reach its aliases too (RUN704)', () => {
  const refused = (text: string): string => {
    try {
      setImage(text, { image: IMAGE, format: 'helm-values' });
    } catch (e) {
      assert.instance(e, RuntimeError);
      assert.is((e as RuntimeError).code, 'RUN704');
      assert.ok((e as RuntimeError).hint);
      return (e as Error).message;
    }
    assert.unreachable(`edited: ${text}`);
    return "";
  };
  assert.match(refused('image:\n  repository: x\n  tag: &t 1.0.0\nworker:\n  tag: *t\n'), /anchored \(&t\) and read elsewhere through \*t/);
  assert.match(refused('image: &img\n  repository: x\n  tag: "1"\nsidecar:\n  image: *img\n'), /the map to add "digest" to is anchored \(&img\)/);
  assert.match(refused('base: &img\n  repository: x\n  tag: "1"\nimage: *img\n'), /"image" is an alias \(\*img\)/);
  // An anchor nobody reads is an ordinary value.
  assert.is(setImage('image:\n  repository: &r x\n  tag: "1"\n', { image: IMAGE, format: 'helm-values' }).text, `image:\n  repository: &r registry.dev.acme.io/shop/api\n  tag: "1.4.2"\n  digest: ${DIGEST}\n`);
});

test('given an image without a valid digest, setImage refuses with the expected form', () => {
  for (const bad of ['registry.dev.acme.io/shop/api:1.4.2', 'registry.dev.acme.io/shop/api@sha256:abc', 'Registry/UPPER@sha256:' + '1'.repeat(64)]) {
    try {
      setImage('images: []\n', { image: bad });
      assert.unreachable(`accepted ${bad}`);
    } catch (e) {
      assert.instance(e, RuntimeError);
      assert.match((e as Error).message, /sha256 digest/);
      assert.match((e as Error).message, bad);
    }
  }
});

test('given malformed YAML, setImage names the file, line and column', () => {
  try {
    setImage('images:\n  - name: a\n   newTag: [\n', { image: IMAGE, file: 'apps/x/kustomization.yaml' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RuntimeError);
    assert.match((e as Error).message, /"apps\/x\/kustomization.yaml" is not valid YAML at line \d+, column \d+/);
  }
});

test('a value that would read back as a number or boolean is quoted', () => {
  const r = setImage('image:\n  tag: old\n', { image: `reg.io/a:1.10@${DIGEST}`, format: 'helm-values', helm: { repository: '', tag: 'image.tag', digest: '' } });
  assert.is(r.text, `image:\n  tag: 1.10@${DIGEST}\n`);
  const n = setImage('image:\n  tag: old\n  digest: x\n', { image: `reg.io/a:1.10@${DIGEST}`, format: 'helm-values', helm: { repository: '', tag: 'image.tag', digest: 'image.digest' } });
  assert.is(n.text, `image:\n  tag: "1.10"\n  digest: ${DIGEST}\n`);
});

test.run();
