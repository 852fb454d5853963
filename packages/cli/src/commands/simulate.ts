import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Diagnostic, EventSource, Sensor } from '@argots/dsl';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { listFlag, stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { compileSources } from '../_internal/compile-sources.js';
import { findFiles, splitPipelineAndYamlPaths, yamlFiles } from '../_internal/find-files.js';
import { hasErrors, printDiagnostics, printJson } from '../_internal/report.js';
import { checkEventType, unmetExpectations } from '../_internal/simulate-expect.js';
import { readStdin } from '../_internal/read-stdin.js';
import { UserError } from '../_internal/user-error.js';

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readJson(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`--event "${shown}" does not exist or cannot be read`, 'pass the JSON body of a webhook delivery, as GitHub sends it');
  }
  return parseJson(text, shown);
}

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`--event "${shown}" is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, 'pass the JSON body of a webhook delivery, as GitHub sends it');
  }
}

function yamlObjects(file: string, shown: string, readYamlDocuments: typeof import('@argots/dsl').readYamlDocuments): Obj[] {
  const { values, error } = readYamlDocuments(readFileSync(file, 'utf8'));
  if (error) {
    throw new UserError(`"${shown}"${error.line !== undefined ? `:${error.line}:${error.col}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`, 'fix the YAML, or run argots lint on it');
  }
  return values.filter(isObj);
}

/** The Sensor and EventSource objects of the inputs: pipelines compiled in memory, YAML read as is. */
async function collectObjects(paths: readonly string[], io: Io): Promise<{ objects: Obj[]; diagnostics: readonly Diagnostic[] }> {
  const { ts: tsPaths, yaml: yamlPaths } = splitPipelineAndYamlPaths(paths, io.cwd, {
    missing: 'pass pipeline files, Sensor YAML files, or directories holding them',
    otherKind: 'pass pipeline files, Sensor YAML files, or directories holding them; the payload goes to --event',
  });
  const objects: Obj[] = [];
  let diagnostics: readonly Diagnostic[] = [];
  if (tsPaths.length > 0) {
    const compiled = await compileSources(tsPaths, io.cwd);
    diagnostics = compiled.diagnostics;
    objects.push(...compiled.files.map((f) => f.object));
  }
  const seen = new Set(objects.map((o) => key(o)));
  if (yamlPaths.length > 0) {
    // The YAML parser of @argots/dsl's bundle (which simulate loads anyway), not a second copy of it.
    const { readYamlDocuments } = await import('@argots/dsl');
    for (const file of findFiles(yamlPaths, io.cwd, yamlFiles)) {
      for (const o of yamlObjects(file, relative(io.cwd, file), readYamlDocuments)) {
        // A Sensor compiled from a pipeline wins over its committed copy.
        if (!seen.has(key(o))) objects.push(o);
        seen.add(key(o));
      }
    }
  }
  return { objects, diagnostics };
}

function key(o: Obj): string {
  const meta = isObj(o['metadata']) ? o['metadata'] : {};
  return `${String(o['kind'])}/${String(meta['namespace'] ?? '')}/${String(meta['name'] ?? '')}`;
}

function checkSensor(o: Obj): void {
  const spec = isObj(o['spec']) ? o['spec'] : undefined;
  const name = isObj(o['metadata']) ? String(o['metadata']['name']) : '?';
  if (!spec || !Array.isArray(spec['dependencies']) || !Array.isArray(spec['triggers'])) {
    throw new UserError(`Sensor "${name}": expected spec.dependencies and spec.triggers to be lists`, `run 'argots lint' on the Sensor's YAML`);
  }
}

/** The deliveries of the command line: each `--event` with its `--type` (one `--type` serves them all). */
async function readDeliveries(args: ParsedArgs, io: Io): Promise<{ eventType: string; body: unknown }[]> {
  const events = listFlag(args, 'event');
  const types = listFlag(args, 'type');
  if (events.length === 0) throw new UserError('argots simulate: --event FILE is required', 'pass a webhook payload, e.g. --event push.json');
  if (types.length === 0) throw new UserError('argots simulate: --type EVENT is required', "pass the delivery's X-GitHub-Event header, e.g. --type push or --type pull_request");
  if (types.length !== 1 && types.length !== events.length) {
    throw new UserError(
      `argots simulate: expected one --type, or one per --event (${events.length}), received ${types.length}`,
      'give each --event its --type in the same order, e.g. --event push.json --type push --event pr.json --type pull_request',
    );
  }
  if (events.filter((e) => e === '-').length > 1) throw new UserError("argots simulate: '--event -' (stdin) can be given once", 'write the other deliveries to files');
  const { GITHUB_WEBHOOK_EVENTS } = await import('@argots/dsl');
  const deliveries: { eventType: string; body: unknown }[] = [];
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i] as string;
    const type = (types.length === 1 ? types[0] : types[i]) as string;
    checkEventType(type, GITHUB_WEBHOOK_EVENTS);
    const body = event === '-' ? parseJson(await readStdin(io, '--event -'), 'stdin') : readJson(resolve(io.cwd, event), event);
    deliveries.push({ eventType: type, body });
  }
  return deliveries;
}

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const expect = stringFlag(args, 'expect');
  const deliveries = await readDeliveries(args, io);
  const { objects, diagnostics } = await collectObjects(args.positionals, io);
  if (hasErrors(diagnostics)) {
    if (args.json) await printJson(io, 'simulate', 1, diagnostics, { result: null });
    else await printDiagnostics(io, diagnostics);
    return 1;
  }
  const sensors = objects.filter((o) => o['kind'] === 'Sensor');
  if (sensors.length === 0) throw new UserError(`found no Sensor in ${args.positionals.map((p) => `"${p}"`).join(', ')}`, 'pass pipelines that declare triggers, or Sensor YAML files');
  sensors.forEach(checkSensor);
  const eventSources = objects.filter((o) => o['kind'] === 'EventSource');
  const time = stringFlag(args, 'time');
  const base = {
    ...(eventSources.length > 0 ? { eventSources: eventSources as unknown as readonly EventSource[] } : {}),
    ...(time !== undefined ? { time } : {}),
  };
  const { formatSimulation, prepareSimulation, simulateSequence } = await import('@argots/dsl');
  const typed = sensors as unknown as readonly Sensor[];
  const hasJq = typed.some((s) => (s.spec.dependencies ?? []).some((d) => Boolean(d.transform?.jq)));
  const options = hasJq ? await prepareSimulation(typed, deliveries, base) : base;
  // One delivery is a sequence of one; several go through the Sensors in order, as one running Sensor sees
  // them (a dependency matched earlier still counts until a trigger consumes it).
  const results = simulateSequence(typed, deliveries, options);
  // With several deliveries, a name is expected to start on at least one of them.
  const unmet = expect === undefined ? [] : results.map((r) => unmetExpectations(r, expect)).reduce((a, b) => a.filter((n) => b.includes(n)));
  const code = unmet.length > 0 ? 1 : 0;
  const shownType = deliveries.length === 1 ? (deliveries[0] as { eventType: string }).eventType : 'sequence of';
  if (args.json) {
    const payload = results.length === 1 ? { result: results[0] } : { results };
    await printJson(io, 'simulate', code, diagnostics, { ...payload, ...(expect === undefined ? {} : { unmet }) });
  } else {
    await printDiagnostics(io, diagnostics);
    results.forEach((result, i) => {
      if (results.length > 1) io.stdout.write(`${i > 0 ? '\n' : ''}── delivery ${i + 1} of ${results.length}: ${(deliveries[i] as { eventType: string }).eventType} (${listFlag(args, 'event')[i]})\n`);
      io.stdout.write(`${formatSimulation(result).replace(/\n?$/, '\n')}`);
    });
    if (unmet.length > 0) {
      io.stderr.write(`✖ expected to start, but would not for this ${shownType} deliver${deliveries.length === 1 ? 'y' : 'ies'}: ${unmet.map((n) => `"${n}"`).join(', ')}\n  hint: the output above names, per dependency, the first filter that failed\n`);
    }
  }
  return code;
}

/** `argots simulate --event payload.json --type push [paths...]` */
export const simulateCommand: Command = {
  spec: {
    name: 'simulate',
    summary: 'evaluate Sensors against a webhook delivery, offline',
    usage: 'argots simulate --event FILE --type EVENT [--event FILE --type EVENT…] <paths...> [--expect NAMES] [--time RFC3339] [--json]',
    description: [
      'Evaluates Sensors — compiled in memory from pipelines (.ts) or read from YAML — against a GitHub webhook',
      "delivery with Argo Events' semantics, and prints, per Sensor, which triggers fire with which resolved",
      'parameters and, for every dependency that does not match, the first filter that failed and why.',
      'EventSources among the inputs decide which dependencies the delivery reaches (event type, repository).',
      'Directories are searched for both pipelines and YAML; a compiled Sensor wins over a YAML one of the same name.',
      'Several --event flags simulate a sequence of deliveries in order, as one running Sensor receives them: a',
      'dependency matched by an earlier delivery still counts for a trigger that needs several (a && b).',
    ].join('\n'),
    flags: {
      event: { type: 'string', multiple: true, valueName: 'FILE', description: "the JSON body of a webhook delivery (required; '-' reads stdin); repeat for a sequence of deliveries, simulated in order" },
      type: { type: 'string', multiple: true, valueName: 'EVENT', description: 'the X-GitHub-Event of the delivery: push, create, pull_request, … (required; one per --event, or one for all)' },
      expect: { type: 'string', valueName: 'NAMES', description: 'comma-separated Sensors, triggers or WorkflowTemplates that must start: exit 1 when one would not (a CI check)' },
      time: { type: 'string', valueName: 'RFC3339', description: 'the time of the event, for time filters (default: a fixed time, so output is reproducible)' },
    },
    minPositionals: 1,
    positionalsName: 'path (pipelines, Sensor YAML, or directories)',
    examples: ['argots simulate --event push.json --type push pipelines', 'argots simulate --event push.json --type push pipelines --expect shop-api-dev', 'gh api … | argots simulate --event - --type push pipelines', 'argots simulate --event pr.json --type pull_request manifests/sensor --json', 'argots simulate --event push.json --type push --event pr.json --type pull_request pipelines'],
    exitCodes: {
      ...standardExitCodes,
      '0': 'the simulation ran (without --expect: whether or not a trigger fires; with it: everything named starts, on at least one of the deliveries)',
      '1': 'a name given to --expect would not start, the inputs have errors, or the command line was wrong',
    },
  },
  run,
};
