import { RuntimeError } from '../runtime-error.js';

/** A GitHub API request that failed for good (after any retries): the route, the status, GitHub's message. */
export class GitHubApiError extends RuntimeError {
  readonly status: number;
  readonly route: string;
  constructor(route: string, status: number, message: string, cause: unknown) {
    super('RUN390', `GitHub API ${route}: expected success, received HTTP ${status}${message ? ` "${message}"` : ''}`, { hint: hintFor(status), cause });
    this.name = 'GitHubApiError';
    this.status = status;
    this.route = route;
  }
}

function hintFor(status: number): string {
  switch (status) {
    case 401:
      return 'the App credentials are wrong or the installation token was revoked; check ARGOTS_GITHUB_APP_ID and the private key';
    case 403:
      return "the App lacks a permission for this endpoint: check its repository permissions (Contents: write, Pull requests: write, Administration: read) and that it is installed on the repository";
    case 404:
      return 'the repository, branch or pull request does not exist, or the App is not installed on that repository';
    case 422:
      return 'GitHub refused the request as invalid; the message above says which field';
    default:
      return 'see https://www.githubstatus.com if GitHub itself is failing';
  }
}
