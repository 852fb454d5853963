/**
 * jq, for Argo Events' `transform.jq` (pkg/sensors/dependencies/transform.go `applyJQTransform`, which runs
 * gojq): the program runs over the event's data and its FIRST output must be a JSON object, which becomes the
 * event's new data; no output is an error ("no output available from the jq command execution"), as is any
 * other first output ("jq transformation output must be a JSON object").
 *
 * The engine is jq 1.7 itself compiled to WebAssembly (`jq-wasm`), loaded on first use. gojq follows jq's
 * language; the differences that matter to a transform (gojq keeps integers exact beyond 2^53, sorts object
 * keys, and lacks a few of jq's rarely used builtins such as `input_filename` and `$__loc__`) are listed in
 * jq's and gojq's documentation. The evaluator is asynchronous (WebAssembly instantiation is), so simulate
 * asks for jq results before it runs (see `prepareSimulation` in @argots/dsl).
 */
import { createRequire } from 'node:module';

/** The outcome of a jq transform: the new event data, or the error Argo Events would log (the event is dropped). */
export type JqTransformResult = { readonly data: Readonly<Record<string, unknown>> } | { readonly error: string };

interface JqWasm {
  raw(data: string, filter: string, flags?: string[]): Promise<string>;
}

let engine: JqWasm | undefined;
function jq(): JqWasm {
  engine ??= createRequire(import.meta.url)('jq-wasm') as JqWasm;
  return engine;
}

/** Runs `program` over `data` (the event's data) as applyJQTransform does. */
export async function runJqTransform(program: string, data: unknown): Promise<JqTransformResult> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { error: `json: cannot unmarshal ${data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data} into Go value of type map[string]interface {}` };
  }
  let output: string;
  try {
    output = await jq().raw(JSON.stringify(data), program, ['-c']);
  } catch (error) {
    const message = (error as Error).message.replace(/^Failed to execute raw query: /, '');
    return { error: message };
  }
  const first = output.split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return { error: 'no output available from the jq command execution' };
  const value = JSON.parse(first) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'jq transformation output must be a JSON object' };
  return { data: value as Readonly<Record<string, unknown>> };
}
