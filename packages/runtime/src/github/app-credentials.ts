/**
 * GitHub App credentials, and the refusal of every other kind of token. argots acts on GitHub only as a
 * GitHub App installation: short-lived tokens, scoped to the repositories the App is installed on, with an
 * audit trail that names the App. Personal access tokens are refused with a clear error.
 */
import { readFile } from 'node:fs/promises';
import { RuntimeError } from '../runtime-error.js';
import { registerSecret } from '../redact.js';

export interface GitHubAppCredentials {
  /** The App's id (or client id). */
  readonly appId: string;
  /** The App's private key, PEM (PKCS#1 `BEGIN RSA PRIVATE KEY` as GitHub issues it, or PKCS#8). */
  readonly privateKey: string;
  /** The installation the App acts as (one organisation or account). */
  readonly installationId: number;
  /** REST API root. Default `https://api.github.com`; GitHub Enterprise Server: `https://HOST/api/v3`. */
  readonly baseUrl?: string;
}

/** Environment variables the runtime reads its App credentials from. */
export const GITHUB_APP_ENV = {
  appId: 'ARGOTS_GITHUB_APP_ID',
  privateKey: 'ARGOTS_GITHUB_APP_PRIVATE_KEY',
  privateKeyFile: 'ARGOTS_GITHUB_APP_PRIVATE_KEY_FILE',
  installationId: 'ARGOTS_GITHUB_APP_INSTALLATION_ID',
  baseUrl: 'ARGOTS_GITHUB_API_URL',
} as const;

/** Token variables people commonly set; any of them present without App credentials is refused. */
const TOKEN_VARIABLES = ['ARGOTS_GITHUB_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN', 'ARGOTS_GIT_TOKEN'] as const;

const PERSONAL_PREFIXES: readonly (readonly [string, string])[] = [
  ['github_pat_', 'a fine-grained personal access token'],
  ['ghp_', 'a classic personal access token'],
  ['gho_', 'an OAuth user token'],
  ['ghu_', 'a GitHub App user-to-server token'],
  ['ghr_', 'a refresh token'],
];

/** What kind of personal (non-installation) token this is, or `undefined` when it does not look like one. */
export function personalTokenKind(token: string): string | undefined {
  const t = token.trim();
  for (const [prefix, kind] of PERSONAL_PREFIXES) if (t.startsWith(prefix)) return kind;
  if (/^[0-9a-f]{40}$/i.test(t)) return 'a classic (pre-2021) personal access token';
  return undefined;
}

/** Throws when a token is a personal access token (or any user token). `where` names the variable or input. */
export function refusePersonalAccessToken(token: string, where: string): void {
  const kind = personalTokenKind(token);
  if (kind === undefined) return;
  registerSecret(token);
  throw new RuntimeError('RUN300', `"${where}" holds ${kind}; argots acts on GitHub only as a GitHub App installation, so personal access tokens are refused`, {
    hint: `create a GitHub App, install it on the repositories, and set ${GITHUB_APP_ENV.appId}, ${GITHUB_APP_ENV.privateKey} (or ${GITHUB_APP_ENV.privateKeyFile}) and ${GITHUB_APP_ENV.installationId} instead`,
  });
}

/**
 * Reads App credentials from the environment. Refuses personal access tokens wherever they are set, and
 * refuses a bare token given where an App is required.
 */
export async function appCredentialsFromEnv(env: Readonly<Record<string, string | undefined>>): Promise<GitHubAppCredentials> {
  for (const name of TOKEN_VARIABLES) {
    const value = env[name];
    if (value) refusePersonalAccessToken(value, name);
  }
  const appId = env[GITHUB_APP_ENV.appId]?.trim();
  const installation = env[GITHUB_APP_ENV.installationId]?.trim();
  let privateKey = env[GITHUB_APP_ENV.privateKey];
  const keyFile = env[GITHUB_APP_ENV.privateKeyFile];
  if (!appId || !installation || (!privateKey && !keyFile)) {
    const token = TOKEN_VARIABLES.find((name) => env[name]);
    const missing = [
      appId ? undefined : GITHUB_APP_ENV.appId,
      privateKey || keyFile ? undefined : GITHUB_APP_ENV.privateKey,
      installation ? undefined : GITHUB_APP_ENV.installationId,
    ].filter((x) => x !== undefined);
    throw new RuntimeError(
      'RUN301',
      token
        ? `a token was given in "${token}" where a GitHub App is required; expected App credentials, missing ${missing.join(', ')}`
        : `GitHub App credentials: expected ${missing.join(', ')} to be set, received nothing`,
      { hint: `set ${GITHUB_APP_ENV.appId}, ${GITHUB_APP_ENV.privateKey} (or ${GITHUB_APP_ENV.privateKeyFile}) and ${GITHUB_APP_ENV.installationId} from the App's Kubernetes secret` },
    );
  }
  if (!privateKey && keyFile) privateKey = await readFile(keyFile, 'utf8');
  privateKey = (privateKey ?? '').replace(/\\n/g, '\n');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/.test(privateKey)) {
    refusePersonalAccessToken(privateKey, GITHUB_APP_ENV.privateKey);
    throw new RuntimeError('RUN302', `"${GITHUB_APP_ENV.privateKey}": expected the App's PEM private key ("-----BEGIN RSA PRIVATE KEY-----" ...), received something else`, {
      hint: "download a private key from the App's settings page and pass the whole PEM file",
    });
  }
  if (!/^\d+$/.test(installation)) {
    throw new RuntimeError('RUN303', `"${GITHUB_APP_ENV.installationId}": expected a number, received "${installation.slice(0, 40)}"`, {
      hint: "the installation id is the number at the end of the installation's settings URL",
    });
  }
  const baseUrl = env[GITHUB_APP_ENV.baseUrl]?.trim();
  return { appId, privateKey, installationId: Number(installation), ...(baseUrl ? { baseUrl } : {}) };
}
