/**
 * Where registry credentials come from: given explicitly (user/password, or an OAuth2 access token as
 * user `oauth2accesstoken`), else Docker's `config.json` (`auths`, `credHelpers`, `credsStore`), else
 * anonymous. Credential helpers (`docker-credential-<name>`) are run with argv and stdin only, never a shell.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { registerSecret } from '../redact.js';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
  /**
   * An OAuth2 refresh token (Docker config `identitytoken`, e.g. Azure Container Registry): exchanged at the
   * token service with `grant_type=refresh_token` instead of sending the password.
   */
  readonly identityToken?: string;
}

/** The user name Google Artifact Registry (and GCR) expects with an OAuth2 access token. */
export const ACCESS_TOKEN_USER = 'oauth2accesstoken';

export function accessTokenCredentials(token: string): RegistryCredentials {
  registerSecret(token);
  return { username: ACCESS_TOKEN_USER, password: token };
}

interface DockerConfig {
  readonly auths?: Readonly<Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>>;
  readonly credHelpers?: Readonly<Record<string, string>>;
  readonly credsStore?: string;
}

/** `https://index.docker.io/v1/` → `index.docker.io`; `127.0.0.1:5000` stays. */
function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

function runHelper(name: string, host: string, env: Readonly<Record<string, string | undefined>>): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${name}`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    return Promise.reject(new RuntimeError('RUN502', `credential helper name "${name}" is not valid`, { hint: 'expected letters, digits, "." "_" or "-"' }));
  }
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { env: { PATH: env['PATH'] ?? '/usr/bin:/bin', HOME: env['HOME'] ?? homedir() }, timeout: 30_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        // Helpers print "credentials not found in native keychain" when they hold nothing for the host.
        if (/not found/i.test(`${stdout}${stderr}`)) return resolve(undefined);
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        return reject(new RuntimeError('RUN502', missing
          ? `credential helper "${program}" for registry "${host}" was not found on PATH`
          : `credential helper "${program}" for registry "${host}" failed: ${stderr.trim().slice(0, 200) || error.message}`, {
          hint: missing ? `install ${program}, or remove "${name}" from credHelpers/credsStore in the Docker config` : `run "echo ${host} | ${program} get" to see why`,
        }));
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        if (typeof parsed.Username !== 'string' || typeof parsed.Secret !== 'string') throw new Error('missing Username or Secret');
        registerSecret(parsed.Secret);
        // `<token>` as user name means the secret is an identity token; registries take it as a password.
        resolve({ username: parsed.Username === '<token>' ? ACCESS_TOKEN_USER : parsed.Username, password: parsed.Secret });
      } catch (e) {
        reject(new RuntimeError('RUN502', `credential helper "${program}" printed something other than {"Username","Secret"} JSON for "${host}": ${(e as Error).message}`, {
          hint: `run "echo ${host} | ${program} get" to see what it prints: it must be {"Username": …, "Secret": …}; log in to "${host}" again through the helper if it has no entry`,
        }));
      }
    });
    child.stdin?.end(host);
  });
}

/**
 * Looks up credentials for a registry host in Docker's config (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`). Returns undefined (anonymous) when there is none.
 */
export async function dockerConfigCredentials(host: string, env: Readonly<Record<string, string | undefined>>): Promise<RegistryCredentials | undefined> {
  const dir = env['DOCKER_CONFIG'] ?? join(env['HOME'] ?? homedir(), '.docker');
  const file = join(dir, 'config.json');
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as DockerConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RuntimeError('RUN501', `Docker config "${file}" could not be read: ${(error as Error).message}`, { hint: 'fix or remove the file' });
  }
  const wanted = host.toLowerCase();
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => hostOf(k) === wanted)?.[1];
  if (helper) return runHelper(helper, host, env);
  const entry = Object.entries(config.auths ?? {}).find(([k]) => hostOf(k) === wanted)?.[1];
  if (entry) {
    if (entry.identitytoken) {
      registerSecret(entry.identitytoken);
      return { username: entry.username ?? '<token>', password: '', identityToken: entry.identitytoken };
    }
    let username = entry.username;
    let password = entry.password;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) throw new RuntimeError('RUN501', `Docker config "${file}": the "auth" of "${host}" is not base64 of user:password`, {
        hint: `log in again (docker login ${host}) to rewrite the entry, or set "auth" to the base64 of "user:password"`,
      });
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    if (username !== undefined && password !== undefined) {
      registerSecret(password);
      registerSecret(entry.auth);
      return { username, password };
    }
  }
  if (config.credsStore) return runHelper(config.credsStore, host, env);
  return undefined;
}
