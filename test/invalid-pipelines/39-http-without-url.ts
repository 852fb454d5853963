// An http template without a url (the schema requires one).
import { http, pipeline } from '@argots/dsl';

const ping = http('ping', { http: { method: 'GET' } as never });

export default pipeline('shop-ping', (p) => {
  p.task('ping', ping);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG002', line: 4, message: "\"spec.templates[1].http\": expected the required field \"url\", received none" },
];
