/**
 * Opening a pull request idempotently: if an open pull request from the same head into the same base
 * exists, it is updated (title, body, labels) instead of a second one being opened.
 */
import type { Octokit } from '@octokit/rest';
import { RuntimeError } from '../runtime-error.js';
import type { RepositoryName } from './repository-name.js';

export interface EnsurePullRequestOptions {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly labels?: readonly string[];
  readonly reviewers?: readonly string[];
}

export interface PullRequestRef {
  readonly number: number;
  readonly url: string;
  readonly nodeId: string;
  /** True when this call opened it; false when an open one was found and updated. */
  readonly created: boolean;
}

/** The open pull request from `head` (a branch of the same repository) into `base`, if any. */
export async function findOpenPullRequest(octokit: Octokit, repository: RepositoryName, head: string, base: string): Promise<PullRequestRef | undefined> {
  const { data } = await octokit.rest.pulls.list({ ...repository, state: 'open', head: `${repository.owner}:${head}`, base, per_page: 10 });
  const found = data.find((pr) => pr.head.ref === head && pr.base.ref === base);
  return found ? { number: found.number, url: found.html_url, nodeId: found.node_id, created: false } : undefined;
}

export async function ensurePullRequest(octokit: Octokit, repository: RepositoryName, options: EnsurePullRequestOptions): Promise<PullRequestRef> {
  let pr = await findOpenPullRequest(octokit, repository, options.head, options.base);
  if (pr) {
    await octokit.rest.pulls.update({ ...repository, pull_number: pr.number, title: options.title, body: options.body });
  } else {
    try {
      const { data } = await octokit.rest.pulls.create({ ...repository, head: options.head, base: options.base, title: options.title, body: options.body });
      pr = { number: data.number, url: data.html_url, nodeId: data.node_id, created: true };
    } catch (error) {
      // Another attempt of this step opened it in the meantime: GitHub answers 422 "already exists".
      const again = (error as { status?: number }).status === 422 ? await findOpenPullRequest(octokit, repository, options.head, options.base) : undefined;
      if (!again) throw error;
      await octokit.rest.pulls.update({ ...repository, pull_number: again.number, title: options.title, body: options.body });
      pr = again;
    }
  }
  if (options.labels && options.labels.length > 0) {
    await octokit.rest.issues.addLabels({ ...repository, issue_number: pr.number, labels: [...options.labels] });
  }
  if (options.reviewers && options.reviewers.length > 0 && pr.created) {
    await octokit.rest.pulls.requestReviewers({ ...repository, pull_number: pr.number, reviewers: [...options.reviewers] });
  }
  return pr;
}

/** Turns on auto-merge (merge commit) for a pull request: GitHub merges it once required checks pass. */
export async function enableAutoMerge(octokit: Octokit, pr: PullRequestRef): Promise<void> {
  try {
    await octokit.graphql(
      `mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: MERGE }) { pullRequest { number } } }`,
      { id: pr.nodeId },
    );
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError('RUN391', `auto-merge of pull request #${pr.number}: expected GitHub to enable it, received "${error instanceof Error ? error.message : String(error)}"`, {
      hint: 'turn on "Allow auto-merge" in the repository settings, and protect the base branch with required checks',
      cause: error,
    });
  }
}
