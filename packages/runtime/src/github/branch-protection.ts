/**
 * Whether a branch only accepts changes through pull requests, asked of the GitHub API.
 */
import type { Octokit } from '@octokit/rest';
import type { RepositoryName } from './repository-name.js';

export interface BranchProtectionSummary {
  readonly protected: boolean;
  /** True when merging requires a pull request (required reviews), so a direct push would be refused. */
  readonly requiresPullRequest: boolean;
  /** False when the App may not read branch protection (HTTP 403): then nothing is known. */
  readonly readable: boolean;
}

/**
 * Classic branch protection (required pull request reviews) and repository rulesets (a `pull_request` rule)
 * both count. Rulesets are readable with metadata access; classic protection needs "Administration: read".
 */
export async function branchProtection(octokit: Octokit, repository: RepositoryName, branch: string): Promise<BranchProtectionSummary> {
  const { data: rules } = await octokit.rest.repos.getBranchRules({ ...repository, branch, per_page: 100 });
  if (rules.some((rule) => rule.type === 'pull_request')) return { protected: true, requiresPullRequest: true, readable: true };
  try {
    const { data } = await octokit.rest.repos.getBranchProtection({ ...repository, branch });
    return { protected: true, requiresPullRequest: data.required_pull_request_reviews !== undefined && data.required_pull_request_reviews !== null, readable: true };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404) return { protected: false, requiresPullRequest: false, readable: true };
    // Reading protection needs "Administration: read". Without it the answer is unknown, and a protected
    // branch shows itself when the push is refused.
    if (status === 403) return { protected: false, requiresPullRequest: false, readable: false };
    throw error;
  }
}
