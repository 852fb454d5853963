// The semantics corpus in the sandbox: every step in a container (bubblewrap over an unpacked OCI image) of a
// small test image built here from Debian's busybox-static and pushed to a local docker-registry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxExecutor } from '@argots/runner';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { pushBusyboxImage } from '../support/test-images.js';
import { runCorpus } from './corpus-harness.js';

let registry: TestRegistry | undefined;
let image = '';
const cache = mkdtempSync(join(tmpdir(), 'argots-run-corpus-images-'));

runCorpus({
  name: 'sandbox',
  before: async () => {
    registry = await startRegistry({ name: 'run-corpus' });
    image = (await pushBusyboxImage(registry, 'corpus/shell', { tag: '1' })).reference;
  },
  executor: async () => createSandboxExecutor({ cacheDir: cache, killGraceMs: 500 }),
  image: () => image,
  after: async () => {
    await registry?.close();
    rmSync(cache, { recursive: true, force: true });
  },
});
