// A checkout (of the application or the GitOps repository) into the shared workspace volume, by the runtime:
// a branch (`release/1.4`), tag or commit works, and git authenticates with an installation token narrowed
// to that one repository, read-only. The URL and revision are argv elements, never shell source.
import type { Value } from '@argots/dsl';
import { SOURCE_DIR, githubSteps } from './org.js';

export interface CheckoutArgs<S> {
  readonly url: string | Value<string, S>;
  /** A branch, tag or commit. */
  readonly revision: string | Value<string, S>;
  /** Default /workspace/src. */
  readonly dir?: string | Value<string, S>;
}

/** `checkout.call({ url, revision })`: clones at `revision` into `dir`; outputs `commit` and `ref`. */
export const checkout = {
  call: <S = never>(args: CheckoutArgs<S>) => githubSteps.checkout<S>({ url: args.url, revision: args.revision, dir: args.dir ?? SOURCE_DIR }),
};
