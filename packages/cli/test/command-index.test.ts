// The CLI loads only the command it runs, through a lazy index: it must name every command, in help order, with
// the command's own summary, and load that very command.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandIndex } from '../src/_internal/command-index.js';
import { commands } from '../src/commands/all.js';

test('the lazy command index names every command in order, with its summary, and loads that command', async () => {
  assert.equal(commandIndex.map((c) => c.name), commands.map((c) => c.spec.name));
  for (const [i, entry] of commandIndex.entries()) {
    assert.is(entry.summary, commands[i]!.spec.summary, entry.name);
    assert.is(await entry.load(), commands[i], entry.name);
  }
});

test.run();
