/**
 * What to do about a failed git command, read from git's stderr (git runs with `LC_ALL=C`, so its messages
 * are in English): an unreachable host, a repository that is not there, an unknown branch or commit, refused
 * credentials, a lock left behind, a full disk. Anything else gets a general hint.
 *
 * ```ts
 * gitFailureHint(['fetch', 'origin', 'main'], '/tmp/gitops', "fatal: couldn't find remote ref main");
 * // 'branch, tag or commit "main" does not exist …'
 * ```
 */
import { redact } from '../../redact.js';

interface Rule {
  readonly test: RegExp;
  readonly hint: (stderr: string, command: string, cwd: string) => string;
}

const RULES: readonly Rule[] = [
  {
    test: /\.lock'?: File exists|Unable to create '[^']*\.lock'/i,
    hint: (_s, _c, cwd) =>
      `another git process is working in "${cwd}", or one was killed and left its .lock file behind: wait for it to finish, or delete the .lock file named above, then re-run the step`,
  },
  {
    test: /No space left on device|Disk quota exceeded/i,
    hint: (_s, _c, cwd) => `the disk holding "${cwd}" is full: free space (or give the step a larger volume), then re-run it`,
  },
  {
    test: /\bnot a git repository\b/i,
    hint: (_s, _c, cwd) => `"${cwd}" is not a git checkout: clone the repository there first, or pass the folder of the checkout`,
  },
  {
    test: /SSL certificate problem|server certificate verification failed|certificate verify failed|gnutls_handshake\(\) failed|SSL_connect|schannel:/i,
    hint: (s) =>
      `the TLS connection to ${host(s) ?? 'the git server'} failed: check that the remote URL is the right host, and give git the CA that signed its certificate (GIT_SSL_CAINFO or http.sslCAInfo) if it is a private one`,
  },
  {
    test: /Could not resolve host|Could not resolve hostname|Temporary failure in name resolution|Name or service not known|Failed to connect to|Couldn't connect to server|Connection (refused|timed out|reset)|Network is unreachable|No route to host|Operation timed out/i,
    hint: (s) =>
      `the git server${after(host(s))} could not be reached: check the host name in the remote URL, and that the step can reach it (DNS, egress network policy, proxy); then re-run the step`,
  },
  {
    test: /Authentication failed|could not read (Username|Password)|terminal prompts disabled|Invalid username or password|HTTP Basic: Access denied|Permission denied \(publickey|Permission to \S+ denied|returned error: 40[13]|Bad credentials|Write access to repository not granted/i,
    hint: () =>
      'the git server refused the credentials: check the token given to the step (for GitHub: that the App is installed on this repository with Contents read and write permission, and that the installation token has not expired); a token is needed even to read a private repository',
  },
  {
    test: /^fatal: '[^'/\\:]+' does not appear to be a git repository/m,
    hint: (s, _c, cwd) =>
      `the checkout "${cwd}" has no remote named "${/'([^']+)'/.exec(s)?.[1] ?? ''}": check the remotes with "git remote -v" there, or clone the repository again`,
  },
  {
    test: /Repository not found|repository '[^']*' (not found|does not exist)|does not appear to be a git repository|returned error: 404|did you run git update-server-info/i,
    hint: (s) =>
      `the repository${after(repository(s))} was not found: check the owner and name in the remote URL; a private repository also reads as "not found" when the credentials may not see it`,
  },
  {
    test: /Remote branch \S+ not found|couldn't find remote ref|unknown revision|bad revision|Needed a single revision|Not a valid object name|invalid reference|did not match any file\(s\) known to git|src refspec \S+ does not match any|not our ref|bad object|is not a commit|reference is not a tree|no such ref/i,
    hint: (s) =>
      `${ref(s) ? `branch, tag or commit "${ref(s)}"` : 'a branch, tag or commit the command names'} does not exist here or on the remote: check its spelling and that it was pushed; for a commit, fetch it or deepen the clone (it may be older than a shallow clone's history)`,
  },
  {
    test: /returned error: 5\d\d|RPC failed|early EOF|remote end hung up unexpectedly|unexpected disconnect|transfer closed with outstanding read data/i,
    hint: () => 'the git server or the network failed in the middle of the transfer: re-run the step; if it keeps failing, check the git server\'s status',
  },
];

/** A hint for a git command (`args`, run in `cwd`) that failed with `stderr`. */
export function gitFailureHint(args: readonly string[], cwd: string, stderr: string): string {
  const command = redact(args.join(' '));
  for (const rule of RULES) if (rule.test.test(stderr)) return redact(rule.hint(stderr, command, cwd));
  return redact(`git's message above says what went wrong; to look closer, run "git ${command}" in "${cwd}" by hand (GIT_TRACE=1 shows more)`);
}

/** `"host"` from a URL or host name in git's message, or `undefined`. */
function host(stderr: string): string | undefined {
  const named = /resolve host(?:name)?:? '?([A-Za-z0-9.-]+)|Failed to connect to ([A-Za-z0-9.:[\]-]+?) port/i.exec(stderr);
  const name = named?.[1] ?? named?.[2] ?? urlOf(stderr)?.hostname;
  return name ? `"${name}"` : undefined;
}

/** `"owner/name"` from the URL in git's message, or `undefined`. */
function repository(stderr: string): string | undefined {
  const quoted = /repository '([^']+)'|^fatal: '([^']+)' does not appear/im.exec(stderr);
  const url = urlOf(stderr);
  const name = url ? url.pathname.replace(/^\/+|\/+$/g, '') : (quoted?.[1] ?? quoted?.[2]);
  return name ? `"${name}"` : undefined;
}

/** The branch, tag or commit git names as unknown, or `undefined`. */
function ref(stderr: string): string | undefined {
  const m =
    /Remote branch (\S+) not found|couldn't find remote ref (\S+)|ambiguous argument '([^']+)'|Not a valid object name (\S+)|pathspec '([^']+)' did not match|src refspec (\S+) does not match|invalid reference: (\S+)|bad revision '([^']+)'|not our ref (\S+)/i.exec(
      stderr,
    );
  return m?.slice(1).find((g) => g !== undefined);
}

/** ` x` for a found `x`, else nothing. */
function after(x: string | undefined): string {
  return x === undefined ? '' : ` ${x}`;
}

function urlOf(stderr: string): URL | undefined {
  const m = /'((?:https?|ssh|git):\/\/[^']+)'/i.exec(stderr);
  if (!m?.[1]) return undefined;
  try {
    return new URL(m[1]);
  } catch {
    return undefined;
  }
}
