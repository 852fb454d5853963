import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkEdit } from '../src/manifests/_internal/edit-check.js';
import type { WrittenSplice } from '../src/manifests/_internal/edit-check.js';
import { RuntimeError } from '../src/runtime-error.js';

const apply = (text: string, splices: readonly WrittenSplice[]): string =>
  [...splices].sort((a, b) => b.start - a.start).reduce((out, s) => out.slice(0, s.start) + s.text + out.slice(s.end), text);

/** Runs the check; returns the RUN703 message, or undefined when the edit passes. */
function check(original: string, splices: readonly WrittenSplice[], embedded = new Map<number, string>()): string | undefined {
  try {
    checkEdit('values.yaml', original, apply(original, splices), splices, embedded);
    return undefined;
  } catch (e) {
    assert.instance(e, RuntimeError);
    assert.is((e as RuntimeError).code, 'RUN703');
    return (e as Error).message;
  }
}

const at = (text: string, needle: string, offset = needle.length): number => text.indexOf(needle) + offset;

test('edits that only write values, keys and entries of their own pass', () => {
  const text = 'image:\n  tag: v1 # pinned\n  list: [a]\nother: {a: 1}\n';
  assert.is(check(text, [{ start: at(text, 'tag: '), end: at(text, 'tag: v1'), text: '1.4.2' }]), undefined, 'a value replaced');
  assert.is(check(text, [{ start: at(text, '# pinned\n'), end: at(text, '# pinned\n'), text: '  digest: sha256:1\n' }]), undefined, 'a key inserted');
  assert.is(check(text, [{ start: at(text, '[a'), end: at(text, '[a'), text: ', b' }]), undefined, 'a list entry appended');
});

test('an edit that changes another key, drops one, or breaks the YAML is refused, naming what would change', () => {
  // The bug this guards against: a value written after the next ":" in the file, inside another key.
  const text = 'image: {repository: shop/api, tag}\nother: stable\nmore: {a: 1}\n';
  assert.match(check(text, [{ start: at(text, 'other:'), end: at(text, 'other:'), text: ' 1.4.2' }]) ?? '', /^"values.yaml": the edit would change more than the image \("other" would change\); nothing was written$/);
  assert.match(check(text, [{ start: at(text, 'more:'), end: at(text, 'more:'), text: ' 1.4.2' }]) ?? '', /not be valid YAML/);
  const block = 'image:\n  tag: v1\n  pullPolicy: Always\n';
  assert.match(check(block, [{ start: at(block, 'tag: '), end: at(block, 'Always'), text: '1.4.2' }]) ?? '', /"image.tag" would change|"image.pullPolicy" would disappear/);
  assert.match(check(block, [{ start: at(block, 'image:'), end: at(block, 'image:'), text: ' [' }]) ?? '', /not be valid YAML/);
  assert.match(check(block, [{ start: block.length, end: block.length, text: '---\nb: 1\n' }]) ?? '', /1 documents would become 2/);
  const list = 'args: [a, b]\n';
  assert.match(check(list, [{ start: at(list, 'a, '), end: at(list, 'a, b'), text: '' }]) ?? '', /"args" would lose entries/);
});

test('embedded YAML (Helm values: |) must read back as its own checked edit', () => {
  const text = 'helm:\n  values: |\n    image:\n      tag: v1\n';
  const splice = { start: at(text, 'tag: '), end: at(text, 'tag: v1'), text: '1.4.2' };
  const start = at(text, 'values: ');
  assert.is(check(text, [splice], new Map([[start, 'image:\n  tag: 1.4.2\n']])), undefined);
  assert.match(check(text, [splice], new Map([[start, 'image:\n  tag: 9.9.9\n']])) ?? '', /embedded at "helm.values" does not read as its edit/);
  assert.match(check(text, [splice]) ?? '', /"helm.values" would change/, 'an embedded edit that was not checked is refused');
});

test('a value changed where it is anchored is refused when an alias elsewhere reads it', () => {
  const text = 'image:\n  tag: &t 1.0.0\nworker:\n  tag: *t\n';
  assert.match(check(text, [{ start: at(text, '&t '), end: at(text, '&t 1.0.0'), text: '1.4.2' }]) ?? '', /"worker.tag" \(an alias of &t\) would change/);
});

test.run();
