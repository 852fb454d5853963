import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redact, redactDeep, redactSecrets, registerSecret, shorten } from '../src/redact.js';

test('a registered secret is hidden whole, even when a shorter registered secret lies inside it', () => {
  registerSecret('abcd');
  registerSecret('abcdefgh12345');
  assert.is(redact('token abcdefgh12345 and abcd'), 'token *** and ***');
});

test('URL user-info is hidden; in results a quote ends the match, so JSON text stays JSON', () => {
  assert.is(redactSecrets('https://bot:s3cret@github.com/acme/x.git'), 'https://***@github.com/acme/x.git');
  const encoded = JSON.stringify(['http://a', 'b@c']);
  assert.is(redactSecrets(encoded), encoded, 'no user-info here: two strings, not one URL');
  assert.equal(redactDeep({ files: ['config/token=abc.yaml'], url: 'https://u:p@h/x' }), { files: ['config/token=abc.yaml'], url: 'https://***@h/x' });
});

test('messages also hide header-like values; a long value is hidden before it is shortened', () => {
  assert.is(redact('Authorization: Bearer xyz123'), 'Authorization: Bearer ***');
  const long = `https://bot:ghs_${'Q'.repeat(90)}@github.com/x.git`;
  assert.is(shorten(long), 'https://***@github.com/x.git');
  assert.is(shorten('x'.repeat(100)).length, 80);
});

test.run();
