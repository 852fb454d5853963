import type { Io } from '../io.js';
import { UserError } from './user-error.js';

/** The whole of standard input, for a `-` argument; `what` names the argument in errors. */
export async function readStdin(io: Io, what: string): Promise<string> {
  if (!io.stdin) throw new UserError(`${what}: this argots has no standard input to read`, 'pass a file instead of -');
  return io.stdin();
}

/** Reads all of a stream (process.stdin) as UTF-8 text. */
export async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
