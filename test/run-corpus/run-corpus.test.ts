// The semantics corpus on the host executor (every step a plain process): see corpus-harness.ts.
import { hostExecutor } from '@argots/runner';
import { runCorpus } from './corpus-harness.js';

runCorpus({ name: 'host', executor: async () => hostExecutor() });
