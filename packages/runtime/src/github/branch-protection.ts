/**
 * Whether a branch only accepts changes through pull requests, asked of the branch protection API.
 */
import type { Octokit } from '@octokit/rest';
import { RuntimeError } from '../runtime-error.js';
import type { RepositoryName } from './repository-name.js';

export interface BranchProtectionSummary {
  readonly protected: boolean;
  /** True when merging requires a pull request (required reviews), so a direct push would be refused. */
  readonly requiresPullRequest: boolean;
}

export async function branchProtection(octokit: Octokit, repository: RepositoryName, branch: string): Promise<BranchProtectionSummary> {
  try {
    const { data } = await octokit.rest.repos.getBranchProtection({ ...repository, branch });
    return { protected: true, requiresPullRequest: data.required_pull_request_reviews !== undefined && data.required_pull_request_reviews !== null };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) return { protected: false, requiresPullRequest: false };
    if (status === 403) {
      throw new RuntimeError('RUN340', `branch protection of "${branch}" in ${repository.owner}/${repository.repo}: expected to be readable, received HTTP 403`, {
        hint: 'give the GitHub App the "Administration: read" repository permission',
        cause: error,
      });
    }
    throw error;
  }
}
