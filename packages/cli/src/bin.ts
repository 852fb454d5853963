#!/usr/bin/env node
// `argots --version` answers before any other module is loaded: it is what scripts and version checks run.
const [first, ...rest] = process.argv.slice(2);
if ((first === '--version' || first === '-v' || first === 'version') && rest.length === 0) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  process.stdout.write(`${pkg.version ?? 'unknown'}\n`);
} else {
  const [{ processIo }, { run }] = await Promise.all([import('./io.js'), import('./run.js')]);
  process.exitCode = await run(process.argv.slice(2), processIo());
}
