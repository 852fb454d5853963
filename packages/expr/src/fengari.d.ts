// The part of fengari's C-style API (https://github.com/fengari-lua/fengari) that lua.ts uses. fengari ships
// no type declarations; these follow its README and the Lua 5.3 reference manual.
declare module 'fengari' {
  export type LuaState = { readonly __luaState: unique symbol };
  export type LuaString = Uint8Array;
  interface Lua {
    readonly LUA_OK: number;
    readonly LUA_MULTRET: number;
    readonly LUA_TNIL: number;
    readonly LUA_TBOOLEAN: number;
    readonly LUA_TNUMBER: number;
    readonly LUA_TSTRING: number;
    readonly LUA_TTABLE: number;
    readonly LUA_MASKCOUNT: number;
    lua_close(L: LuaState): void;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_type(L: LuaState, index: number): number;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tonumber(L: LuaState, index: number): number;
    lua_isinteger(L: LuaState, index: number): boolean;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: LuaString): void;
    lua_pushvalue(L: LuaState, index: number): void;
    lua_pushjsfunction(L: LuaState, f: (L: LuaState) => number): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_setfield(L: LuaState, index: number, key: LuaString): void;
    lua_getfield(L: LuaState, index: number, key: LuaString): number;
    lua_seti(L: LuaState, index: number, i: number): void;
    lua_geti(L: LuaState, index: number, i: number): number;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_setmetatable(L: LuaState, index: number): void;
    lua_getmetatable(L: LuaState, index: number): boolean;
    lua_getglobal(L: LuaState, name: LuaString): number;
    lua_rawlen(L: LuaState, index: number): number;
    lua_next(L: LuaState, index: number): boolean;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_sethook(L: LuaState, f: (L: LuaState) => void, mask: number, count: number): void;
  }
  interface Lauxlib {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(L: LuaState, buffer: LuaString, size: number | null, name: LuaString): number;
    luaL_requiref(L: LuaState, name: LuaString, open: (L: LuaState) => number, global: number): void;
    luaL_len(L: LuaState, index: number): number;
    luaL_error(L: LuaState, message: LuaString): never;
  }
  interface Lualib {
    luaopen_base(L: LuaState): number;
    luaopen_string(L: LuaState): number;
    luaopen_table(L: LuaState): number;
    luaopen_math(L: LuaState): number;
    luaopen_os(L: LuaState): number;
    luaopen_coroutine(L: LuaState): number;
  }
  const fengari: {
    readonly lua: Lua;
    readonly lauxlib: Lauxlib;
    readonly lualib: Lualib;
    to_luastring(s: string): LuaString;
    to_jsstring(s: LuaString): string;
  };
  export default fengari;
}
