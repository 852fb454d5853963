import { parseDepends, dependsRefs } from './depends.js';
import { arrayAt, isObject, stringAt, type JsonObject } from './json.js';

/** The tasks a DAG task waits for, from `dependencies` or its `depends` expression (unparsable: none). */
export function taskDependencies(task: JsonObject): string[] {
  const depends = stringAt(task, 'depends');
  if (depends !== undefined && depends.trim() !== '') {
    const tree = parseDepends(depends);
    return 'message' in tree ? [] : [...new Set(dependsRefs(tree).map((r) => r.task))];
  }
  return arrayAt(task, 'dependencies').filter((d): d is string => typeof d === 'string');
}

/** The DAG's tasks by name (first of each name) with their direct dependencies. */
export function dagGraph(tasks: readonly unknown[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const task of tasks) {
    if (!isObject(task)) continue;
    const name = stringAt(task, 'name');
    if (name !== undefined && !graph.has(name)) graph.set(name, taskDependencies(task));
  }
  return graph;
}

/** A memoised `ancestorsOf` for one graph: each task's upstream set is computed once, from its dependencies'. */
export function createAncestry(graph: ReadonlyMap<string, readonly string[]>): (name: string) => ReadonlySet<string> {
  const memo = new Map<string, Set<string>>();
  const inProgress = new Set<string>();
  const get = (name: string): ReadonlySet<string> => {
    const known = memo.get(name);
    if (known) return known;
    if (inProgress.has(name)) return ancestorsOf(graph, name); // on a cycle: fall back to the plain walk
    inProgress.add(name);
    const result = new Set<string>();
    for (const dep of graph.get(name) ?? []) {
      if (!graph.has(dep)) continue;
      result.add(dep);
      for (const a of get(dep)) result.add(a);
    }
    inProgress.delete(name);
    memo.set(name, result);
    return result;
  };
  return get;
}

/** Every task upstream of `name` (transitively), excluding itself unless it is on a cycle. */
export function ancestorsOf(graph: ReadonlyMap<string, readonly string[]>, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(name) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next) || !graph.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}
