// synchronization.mutex, which Argo v4 removed (use mutexes: [...]).
import { container, pipeline } from '@argots/dsl';

const deploy = container('deploy', { container: { image: 'alpine:3.20' }, fields: { synchronization: { mutex: { name: 'prod' } } as never } });

export default pipeline('shop-mutex', (p) => {
  p.task('deploy', deploy);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG035', line: 4, message: "template \"deploy\": expected synchronization.mutexes (a list), received synchronization.mutex, which Argo v4 removed" },
];
