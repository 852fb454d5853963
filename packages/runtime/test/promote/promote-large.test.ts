import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { promoteImage } from '../../src/promote/promote-image.js';
import { startRegistry } from '../../../../test/support/registry.js';
import { hasBlob, pushImage } from '../../../../test/support/oci-images.js';

// A 200 MB layer crosses registries without ever sitting in memory: resident memory grows by far less than
// the layer while it streams. (The 1 GB case, against the 150 MB ceiling, is in bench/promote.bench.ts.)
const MB = 1024 * 1024;

test('given a 200 MB layer, promotion streams it between registries with bounded memory', async () => {
  const [dev, staging] = await Promise.all([startRegistry({ name: 'dev' }), startRegistry({ name: 'staging' })]);
  const src = new RegistryClient({ registry: dev.host, scheme: 'http' });
  const dst = new RegistryClient({ registry: staging.host, scheme: 'http' });
  try {
    const image = await pushImage({ url: dev.url }, 'big/layer', { layers: [{ size: 200 * MB, seed: 'large-200' }], tag: '1' });
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const result = await promoteImage({ source: { client: src, repository: 'big/layer', reference: '1' }, target: { client: dst, repository: 'big/layer', tag: '1' }, mutableTags: true });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.is(result.digest, image.digest);
    assert.ok(result.bytesCopied > 200 * MB, 'the layer (and config) were copied, not found in the target');
    assert.ok(await hasBlob({ url: staging.url }, 'big/layer', image.layers[0]?.digest ?? ''));
    const grewMb = (peak - before) / MB;
    assert.ok(grewMb < 100, `resident memory grew by ${grewMb.toFixed(0)} MB while streaming a 200 MB layer (expected under 100 MB)`);
  } finally {
    src.close();
    dst.close();
    await Promise.all([dev.close(), staging.close()]);
  }
});

test.run();
