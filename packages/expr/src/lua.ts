/**
 * Argo Events' Lua: a Sensor dependency's `filters.script` and `transform.script`
 * (pkg/sensors/dependencies/filter.go `filterScript`, transform.go `applyScriptTransform`), run in a real Lua
 * VM (fengari, Lua 5.3 in JavaScript) with the same inputs and the same reading of the result as Argo Events'
 * gopher-lua (Lua 5.1):
 * - the event's data, decoded as a JSON object, is the global table `event`, converted as `mapToTable` does:
 *   numbers, strings, booleans and objects are kept, `null` members are dropped, and inside arrays only
 *   objects, numbers, strings and booleans are kept (nested arrays and nulls are dropped, later elements move
 *   up);
 * - a filter passes when the last value the chunk returns is `true` (nothing else counts as true);
 * - a transform must return a table, read back as `toGoValue` does: a table with a sequence `1..n` is an
 *   array (so is any table whose metatable sets `__is_array = true`, even empty), any other table an object
 *   whose keys are written as Lua writes them.
 * The VM opens what a filter needs (base, string, table, math, and os's clock functions). What would touch the
 * machine (`io`, `os.execute`, `require`, files) is not run: simulate reports it as unsupported, as it does a
 * script that runs more than 10 million instructions.
 *
 * Deliberate differences (Lua 5.3 against 5.1): integer and float are subtypes in 5.3, so `tostring(10 / 2)`
 * is `"5.0"` here and `"5"` in Argo Events (numbers that arrive as whole numbers are integers, so
 * `tostring(event.body.count)` agrees); 5.3 also accepts `//`, bitwise operators and `goto`, which Lua 5.1
 * rejects.
 */
import { createRequire } from 'node:module';
import type Fengari from 'fengari';
import type { LuaState } from 'fengari';
import { formatGoFloat } from './go-values.js';

type FengariModule = typeof Fengari;
// fengari takes ~150 ms to load: it is loaded the first time a script runs, never by what only imports this.
let loaded: FengariModule | undefined;
function fengari(): FengariModule {
  loaded ??= createRequire(import.meta.url)('fengari') as FengariModule;
  return loaded;
}

/** The outcome of a Lua filter: passed or not, an error Argo Events reports, or what simulate cannot run. */
export type LuaFilterResult = { readonly passed: boolean } | { readonly error: string } | { readonly unsupported: string };
/** The outcome of a Lua transform: the new event data, an error (the event is dropped), or unsupported. */
export type LuaTransformResult = { readonly data: unknown } | { readonly error: string } | { readonly unsupported: string };

const INSTRUCTION_BUDGET = 10_000_000;
const HOOK_EVERY = 10_000;

/** Names a Sensor script may use in Argo Events that simulate does not run (they reach the machine). */
const BLOCKED_FUNCTIONS = ['require', 'dofile', 'loadfile'] as const;
const BLOCKED_LIBRARIES = ['io', 'package', 'debug'] as const;
const BLOCKED_OS = ['execute', 'exit', 'getenv', 'remove', 'rename', 'tmpname', 'setlocale'] as const;

class Blocked {
  constructor(readonly reason: string) {}
}

function pushValue(L: LuaState, value: unknown): boolean {
  const { lua, lauxlib, to_luastring } = fengari();
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (Array.isArray(value)) {
    // mapToTable's []interface{} case: maps, float64s, strings and bools are appended; anything else is skipped.
    lua.lua_createtable(L, value.length, 0);
    let n = 0;
    for (const element of value) {
      if (element === null || Array.isArray(element)) continue;
      if (pushValue(L, element)) {
        n += 1;
        lua.lua_seti(L, -2, n);
      }
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    lua.lua_createtable(L, 0, 0);
    for (const key of Object.keys(record)) {
      if (pushValue(L, record[key])) lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else return false;
  return true;
}

function readValue(L: LuaState, index: number, depth: number): unknown {
  const { lua, lauxlib, to_luastring } = fengari();
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNIL) return null;
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index);
  if (type === lua.LUA_TNUMBER) return lua.lua_tonumber(L, index);
  if (type === lua.LUA_TSTRING) return lua.lua_tojsstring(L, index);
  if (type === lua.LUA_TTABLE) {
    if (depth > 100) throw new Blocked('the transform returned a table nested more than 100 deep (a cycle?)');
    const absolute = index < 0 ? lua.lua_gettop(L) + index + 1 : index;
    const length = lua.lua_rawlen(L, absolute);
    // A metatable with `__is_array = true` makes the table an array even when empty (Argo Events ≥ 1.9.7).
    let forcedArray = false;
    if (lua.lua_getmetatable(L, absolute)) {
      lua.lua_getfield(L, -1, to_luastring('__is_array'));
      forcedArray = lua.lua_type(L, -1) === lua.LUA_TBOOLEAN && lua.lua_toboolean(L, -1);
      lua.lua_pop(L, 2);
    }
    if (length > 0 || forcedArray) {
      const array: unknown[] = [];
      for (let i = 1; i <= length; i += 1) {
        lua.lua_geti(L, absolute, i);
        array.push(readValue(L, -1, depth + 1));
        lua.lua_pop(L, 1);
      }
      return array;
    }
    const record: Record<string, unknown> = {};
    lua.lua_pushnil(L);
    while (lua.lua_next(L, absolute)) {
      // The key at -2, the value at -1; keys are written as LValue.String() writes them.
      const keyType = lua.lua_type(L, -2);
      let key: string;
      if (keyType === lua.LUA_TSTRING) key = lua.lua_tojsstring(L, -2);
      else if (keyType === lua.LUA_TNUMBER) key = formatGoFloat(lua.lua_tonumber(L, -2));
      else if (keyType === lua.LUA_TBOOLEAN) key = String(lua.lua_toboolean(L, -2));
      else throw new Blocked('the transform returned a table with a key that is not a string, number or boolean');
      record[key] = readValue(L, -1, depth + 1);
      lua.lua_pop(L, 1);
    }
    return record;
  }
  throw new Blocked('the transform returned a function, thread or userdata, which Argo Events would marshal as an opaque Go value');
}

interface Chunk {
  /** Values the chunk returned, left on the stack from index 1. */
  readonly results: number;
}

function blocker(name: string, state: { blocked?: Blocked }): (L: LuaState) => number {
  const { lua, lauxlib, to_luastring } = fengari();
  return (L: LuaState): number => {
    state.blocked = new Blocked(`the script uses ${name}, which simulate does not run (it reaches the machine)`);
    return lauxlib.luaL_error(L, to_luastring(`${name} is not available in simulate`));
  };
}

function run<T>(script: string, data: unknown, read: (L: LuaState, chunk: Chunk) => T): T | { readonly error: string } | { readonly unsupported: string } {
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    return { error: `json: cannot unmarshal ${Array.isArray(data) ? 'array' : typeof data === 'string' ? 'string' : typeof data} into Go value of type map[string]interface {}` };
  }
  const { lua, lauxlib, lualib, to_luastring } = fengari();
  const L = lauxlib.luaL_newstate();
  const state: { blocked?: Blocked } = {};
  try {
    lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
    lauxlib.luaL_requiref(L, to_luastring('string'), lualib.luaopen_string, 1);
    lauxlib.luaL_requiref(L, to_luastring('table'), lualib.luaopen_table, 1);
    lauxlib.luaL_requiref(L, to_luastring('math'), lualib.luaopen_math, 1);
    lauxlib.luaL_requiref(L, to_luastring('os'), lualib.luaopen_os, 1);
    lauxlib.luaL_requiref(L, to_luastring('coroutine'), lualib.luaopen_coroutine, 1);
    lua.lua_settop(L, 0);
    for (const name of BLOCKED_FUNCTIONS) {
      lua.lua_pushjsfunction(L, blocker(name, state));
      lua.lua_setglobal(L, to_luastring(name));
    }
    for (const name of BLOCKED_LIBRARIES) {
      // An empty table whose every field is refused: `io.open(…)` is reported, not run.
      lua.lua_createtable(L, 0, 0);
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushjsfunction(L, (inner: LuaState): number => {
        const field = lua.lua_type(inner, 2) === lua.LUA_TSTRING ? lua.lua_tojsstring(inner, 2) : '?';
        return blocker(`${name}.${field}`, state)(inner);
      });
      lua.lua_setfield(L, -2, to_luastring('__index'));
      lua.lua_setmetatable(L, -2);
      lua.lua_setglobal(L, to_luastring(name));
    }
    lua.lua_getglobal(L, to_luastring('os'));
    for (const name of BLOCKED_OS) {
      lua.lua_pushjsfunction(L, blocker(`os.${name}`, state));
      lua.lua_setfield(L, -2, to_luastring(name));
    }
    lua.lua_pop(L, 1);
    // print goes to the Sensor pod's log in Argo Events; simulate's output is its report, so it is dropped.
    lua.lua_pushjsfunction(L, () => 0);
    lua.lua_setglobal(L, to_luastring('print'));
    pushValue(L, data ?? {});
    lua.lua_setglobal(L, to_luastring('event'));
    let executed = 0;
    lua.lua_sethook(
      L,
      (hooked: LuaState) => {
        executed += HOOK_EVERY;
        if (executed > INSTRUCTION_BUDGET) {
          state.blocked = new Blocked(`the script ran more than ${INSTRUCTION_BUDGET.toLocaleString('en-US')} Lua instructions; simulate stops there`);
          lauxlib.luaL_error(hooked, to_luastring('instruction budget exhausted'));
        }
      },
      lua.LUA_MASKCOUNT,
      HOOK_EVERY,
    );
    const source = to_luastring(script);
    const loaded = lauxlib.luaL_loadbuffer(L, source, null, to_luastring('=<string>'));
    if (loaded !== lua.LUA_OK) return { error: lua.lua_tojsstring(L, -1) };
    const called = lua.lua_pcall(L, 0, lua.LUA_MULTRET, 0);
    if (state.blocked) return { unsupported: state.blocked.reason };
    if (called !== lua.LUA_OK) {
      const message = lua.lua_type(L, -1) === lua.LUA_TSTRING ? lua.lua_tojsstring(L, -1) : 'a Lua error that is not a string';
      return { error: message };
    }
    return read(L, { results: lua.lua_gettop(L) });
  } catch (error) {
    if (error instanceof Blocked) return { unsupported: error.reason };
    if (state.blocked) return { unsupported: state.blocked.reason };
    throw error;
  } finally {
    lua.lua_close(L);
  }
}

/**
 * Runs a Sensor's `filters.script` over the event's data as Argo Events' `filterScript` does: `event` holds the
 * data; the filter passes when the last value returned is `true`.
 */
export function runLuaFilter(script: string, data: unknown): LuaFilterResult {
  const { lua } = fengari();
  return run(script, data, (L, chunk) => ({ passed: chunk.results > 0 && lua.lua_type(L, -1) === lua.LUA_TBOOLEAN && lua.lua_toboolean(L, -1) }));
}

/**
 * Runs a dependency's `transform.script` as Argo Events' `applyScriptTransform` does: the last value returned
 * must be a table, which becomes the event's new data.
 */
export function runLuaTransform(script: string, data: unknown): LuaTransformResult {
  const { lua } = fengari();
  return run(script, data, (L, chunk): LuaTransformResult => {
    if (chunk.results === 0 || lua.lua_type(L, -1) !== lua.LUA_TTABLE) return { error: 'transformation script output type is not of lua table' };
    return { data: readValue(L, -1, 0) };
  });
}
