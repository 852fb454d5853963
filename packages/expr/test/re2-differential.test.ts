// compileRe2 (RE2 syntax translated to JavaScript's engine) against re2js, a port of RE2 itself
// (github.com/le0pard/re2js, from Go's regexp/syntax and RE2/J): seeded random patterns over RE2's syntax —
// classes, POSIX and Unicode classes and scripts, flags, quoting, anchors, named groups, repetition — and
// patterns RE2 rejects (look-around, back-references, possessive repetition, bad ranges, counts over 1000).
// Every pattern must compile in both or be rejected by both, and match the same inputs; what compileRe2
// reports as unsupported (flag groups after the start) is counted, not compared.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RE2JS } from 're2js';
import { compileRe2 } from '../src/re2.js';

const ATOMS = [
  'a', 'b', '.', '\\d', '\\D', '\\w', '\\W', '\\s', '[ab]', '[^a]', '[a-c]', '[\\d.]', '[[:alpha:]]', '[[:^digit:]]', '(a|b)', '(?:ab)',
  '(?P<n>a)', 'é', '\\.', '\\x41', '\\x{e9}', '\\Qa.b\\E', '\\pL', '\\PL', '\\pN', '\\p{Greek}', '\\p{^Greek}', '\\p{Han}', '\\p{Lu}', '\\p{Any}',
  '[a\\p{Greek}]', '[^\\PL]', '(?i)a', '(?s).', '^', '$', '\\b', '\\B', '\\A', '\\z',
  // rejected by RE2
  '(?=a)', '(?!a)', '\\1', 'a*+', '[z-a]', 'x{1001}', '\\C', '\\p{Foo}', '(?<m>b)',
  // reported as unsupported by compileRe2
  '(a)(?i)b',
];
const ZERO_WIDTH = new Set(['^', '$', '\\b', '\\B', '\\A', '\\z', '(?i)a', '(?s).']);
const QUANTIFIERS = ['', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?', '??'];
const INPUTS = ['', 'a', 'ab', 'ba', 'aab', 'a.b', 'A', 'AB', 'é', 'ééa', 'x1 y', 'abc\nab', 'a b', '1.2', 'αβ', 'Ωa', '漢字', 'a\u00e9b'];

test('compileRe2 agrees with re2js on what compiles and on every match', () => {
  let seed = 20261204;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  let compared = 0;
  let rejectedByBoth = 0;
  let unsupported = 0;
  const disagreements: string[] = [];
  for (let k = 0; k < 1500; k += 1) {
    let pattern = '';
    const atoms = 1 + next(4);
    for (let j = 0; j < atoms; j += 1) {
      const atom = ATOMS[next(ATOMS.length)] as string;
      pattern += atom + (ZERO_WIDTH.has(atom) ? '' : (QUANTIFIERS[next(QUANTIFIERS.length)] as string));
    }
    const ours = compileRe2(pattern);
    if (!ours.ok && ours.unsupported) {
      unsupported += 1;
      continue;
    }
    let theirs: RE2JS | undefined;
    try {
      theirs = RE2JS.compile(pattern);
    } catch {
      theirs = undefined;
    }
    if (!ours.ok || !theirs) {
      if (ours.ok !== (theirs !== undefined)) disagreements.push(`${JSON.stringify(pattern)}: compileRe2 ${ours.ok ? 'accepts' : `rejects (${ours.error})`}, re2js ${theirs ? 'accepts' : 'rejects'}`);
      else rejectedByBoth += 1;
      continue;
    }
    for (const input of INPUTS) {
      compared += 1;
      const a = ours.regex.test(input);
      const b = theirs.matcher(input).find();
      if (a !== b) disagreements.push(`${JSON.stringify(pattern)} on ${JSON.stringify(input)}: compileRe2 ${a}, re2js ${b}`);
    }
  }
  console.log(`  re2js comparison: ${compared} matches compared, ${rejectedByBoth} patterns rejected by both, ${unsupported} reported unsupported, ${disagreements.length} disagreements`);
  assert.ok(compared > 10_000, `only ${compared} matches compared`);
  assert.ok(rejectedByBoth > 100, `only ${rejectedByBoth} rejected patterns`);
  assert.equal(disagreements.slice(0, 10), []);
});

test('Unicode scripts and negated names translate as RE2 reads them', () => {
  const greek = compileRe2('^\\p{Greek}+$');
  assert.ok(greek.ok && greek.regex.test('αβγ') && !greek.regex.test('abc'));
  const notGreek = compileRe2('^\\p{^Greek}+$');
  assert.ok(notGreek.ok && notGreek.regex.test('abc') && !notGreek.regex.test('αβγ'));
  const bad = compileRe2('\\p{Foo}');
  assert.ok(!bad.ok && !bad.unsupported && bad.error === 'error parsing regexp: invalid character class range: `\\p{Foo}`', JSON.stringify(bad));
});

test.run();
