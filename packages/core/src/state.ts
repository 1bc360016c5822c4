/**
 * State trees: nested, named tensors addressed by `/`-separated paths
 * (`A_excitatory/synapses/kernel`), and the `split` / `merge` contract modules implement.
 *
 * A {@link StateTree} is a plain object whose values are {@link Tensor}s or further state trees. The
 * functions here never read inherited properties and refuse the keys `__proto__`, `constructor` and
 * `prototype`, so a tree loaded from a file cannot pollute prototypes. Trees built here have a `null`
 * prototype.
 *
 * Spark's `spark.split(model) → (graphdef, state)` / `spark.merge(graphdef, state)` become
 * {@link split} / {@link merge}: the graph is plain JSON (no tensors), the state is a state tree.
 *
 * @module
 */

import { formatShape, isTensor, type Tensor } from './tensor.ts';
import { closestName } from './text.ts';

/** A nested tree of named tensors. Keys are non-empty, contain no `/`, and are not reserved. */
export type StateTree = { [name: string]: Tensor | StateTree };

/** A node of a state tree: a tensor (leaf) or a subtree. */
export type StateNode = Tensor | StateTree;

/** Keys refused everywhere in state trees (prototype-pollution guards). */
export const RESERVED_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

/** Separator of path segments. */
export const PATH_SEPARATOR = '/';

/** Error raised for bad paths, keys or trees; `path` is the offending state path (`''` = root). */
export class StateError extends Error {
  /** The path the error is about. */
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.name = 'StateError';
    this.path = path;
  }
}

/** Throws a {@link StateError} unless `key` is a valid state key. */
export function assertStateKey(key: string, path = key): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new StateError(`state key must be a non-empty string (at '${path}')`, path);
  }
  if (key.includes(PATH_SEPARATOR)) {
    throw new StateError(`state key '${key}' must not contain '${PATH_SEPARATOR}' (at '${path}')`, path);
  }
  if (RESERVED_KEYS.includes(key)) {
    throw new StateError(`state key '${key}' is reserved and not allowed (at '${path}')`, path);
  }
}

/** Splits a path into its segments, validating each (`'a/b'` → `['a', 'b']`). The empty path is the root. */
export function splitPath(path: string): string[] {
  if (typeof path !== 'string')
    throw new StateError(`state path must be a string, got ${typeof path}`, String(path));
  if (path === '') return [];
  const parts = path.split(PATH_SEPARATOR);
  for (const p of parts) {
    if (p === '') throw new StateError(`state path '${path}' has an empty segment`, path);
    assertStateKey(p, path);
  }
  return parts;
}

/** Joins path segments with `/`. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(PATH_SEPARATOR);
}

/** A new empty state tree (null prototype). */
export function createStateTree(): StateTree {
  return Object.create(null) as StateTree;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === null || proto === Object.prototype;
}

function ownKeys(node: StateTree): string[] {
  return Object.keys(node);
}

function ownChild(node: StateTree, key: string): StateNode | undefined {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/**
 * True when `x` is a well-formed state tree: a plain object whose own values are tensors or well-formed
 * trees, with valid keys and no cycles.
 */
export function isStateTree(x: unknown): x is StateTree {
  try {
    assertStateTree(x);
    return true;
  } catch {
    return false;
  }
}

/** Throws a {@link StateError} naming the first problem unless `x` is a well-formed state tree. */
export function assertStateTree(x: unknown, where = 'state'): asserts x is StateTree {
  const seen = new Set<object>();
  const visit = (node: unknown, path: string): void => {
    if (!isPlainObject(node)) {
      throw new StateError(
        `${where}: '${path || '<root>'}' must be a Tensor or a plain object of tensors, got ${describe(node)}`,
        path,
      );
    }
    if (seen.has(node)) throw new StateError(`${where}: '${path || '<root>'}' is part of a cycle`, path);
    seen.add(node);
    for (const key of Object.keys(node)) {
      const childPath = joinPath(path, key);
      assertStateKey(key, childPath);
      const child = node[key];
      if (!isTensor(child)) visit(child, childPath);
    }
    seen.delete(node);
  };
  visit(x, '');
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name} (wrap it in a Tensor)`;
  if (typeof x === 'object') return `an instance of ${(x as object).constructor?.name ?? 'an unknown class'}`;
  return typeof x;
}

function notFound(path: string, parts: string[], depth: number, node: StateTree): StateError {
  const prefix = parts.slice(0, depth).join(PATH_SEPARATOR);
  const missing = parts[depth]!;
  const siblings = ownKeys(node);
  const where = prefix === '' ? 'the root' : `'${prefix}'`;
  let msg = `state path '${path}' not found: ${where} has no '${missing}'`;
  msg += siblings.length ? `; it has ${siblings.map((s) => `'${s}'`).join(', ')}` : '; it is empty';
  const best = closestName(missing, siblings);
  if (best !== undefined) msg += ` (did you mean '${joinPath(prefix, best)}'?)`;
  return new StateError(msg, path);
}

function walk(tree: StateTree, path: string): StateNode {
  const parts = splitPath(path);
  let node: StateNode = tree;
  for (let i = 0; i < parts.length; i++) {
    if (isTensor(node)) {
      const at = parts.slice(0, i).join(PATH_SEPARATOR);
      throw new StateError(`state path '${path}' not found: '${at}' is a tensor, not a subtree`, path);
    }
    const child = ownChild(node, parts[i]!);
    if (child === undefined) throw notFound(path, parts, i, node);
    node = child;
  }
  return node;
}

/**
 * The tensor or subtree at `path` (`''` is the whole tree).
 *
 * @throws StateError naming the path, the nearest existing prefix and its children, e.g.
 *   `state path 'A/synapses/kernal' not found: 'A/synapses' has no 'kernal'; it has 'kernel' (did you mean 'A/synapses/kernel'?)`.
 */
export function getPath(tree: StateTree, path: string): StateNode {
  return walk(tree, path);
}

/** The tensor at `path`; throws a {@link StateError} when it is missing or a subtree. */
export function getTensor(tree: StateTree, path: string): Tensor {
  const node = walk(tree, path);
  if (!isTensor(node)) {
    const keys = ownKeys(node);
    throw new StateError(
      `state path '${path}' is a subtree (with ${keys.map((k) => `'${k}'`).join(', ') || 'nothing'}), not a tensor`,
      path,
    );
  }
  return node;
}

/** True when `path` exists (tensor or subtree). Invalid paths throw. */
export function hasPath(tree: StateTree, path: string): boolean {
  const parts = splitPath(path);
  let node: StateNode = tree;
  for (const p of parts) {
    if (isTensor(node)) return false;
    const child = ownChild(node, p);
    if (child === undefined) return false;
    node = child;
  }
  return true;
}

/**
 * Puts `value` (a tensor or subtree) at `path`, creating missing intermediate subtrees (null prototype).
 * Mutates `tree`; replaces an existing entry.
 *
 * @throws StateError when an intermediate segment is a tensor, or a key is invalid/reserved.
 */
export function setPath(tree: StateTree, path: string, value: StateNode): void {
  const parts = splitPath(path);
  if (parts.length === 0) throw new StateError('setPath: cannot replace the root (empty path)', path);
  if (!isTensor(value)) assertStateTree(value, `setPath('${path}')`);
  let node: StateTree = tree;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const child = ownChild(node, key);
    if (child === undefined) {
      const created = createStateTree();
      node[key] = created;
      node = created;
    } else if (isTensor(child)) {
      const at = parts.slice(0, i + 1).join(PATH_SEPARATOR);
      throw new StateError(`setPath: cannot create '${path}': '${at}' is a tensor, not a subtree`, path);
    } else {
      node = child;
    }
  }
  node[parts[parts.length - 1]!] = value;
}

/** Removes the entry at `path`. Returns false when it did not exist. */
export function deletePath(tree: StateTree, path: string): boolean {
  const parts = splitPath(path);
  if (parts.length === 0) throw new StateError('deletePath: cannot delete the root (empty path)', path);
  if (!hasPath(tree, path)) return false;
  const parent =
    parts.length === 1 ? tree : (walk(tree, parts.slice(0, -1).join(PATH_SEPARATOR)) as StateTree);
  return delete parent[parts[parts.length - 1]!];
}

/**
 * Paths of all tensors, depth first, in key insertion order (e.g. `['A/soma/potential', 'A/synapses/kernel']`).
 * Empty subtrees contribute nothing.
 */
export function listPaths(tree: StateTree): string[] {
  return [...flattenState(tree).keys()];
}

/** All tensors keyed by path, depth first in insertion order. Validates the tree. */
export function flattenState(tree: StateTree): Map<string, Tensor> {
  assertStateTree(tree);
  const out = new Map<string, Tensor>();
  const visit = (node: StateTree, prefix: string): void => {
    for (const key of ownKeys(node)) {
      const child = node[key]!;
      const p = joinPath(prefix, key);
      if (isTensor(child)) out.set(p, child);
      else visit(child, p);
    }
  };
  visit(tree, '');
  return out;
}

/**
 * Builds a tree from `(path, tensor)` pairs (a Map, an iterable of pairs, or a record of paths).
 *
 * @throws StateError when two paths conflict (`a` is a tensor and `a/b` is requested) or a path is invalid.
 */
export function unflattenState(
  entries: Iterable<readonly [string, Tensor]> | Readonly<Record<string, Tensor>>,
): StateTree {
  const tree = createStateTree();
  const pairs: Iterable<readonly [string, Tensor]> =
    Symbol.iterator in entries
      ? (entries as Iterable<readonly [string, Tensor]>)
      : Object.entries(entries as Record<string, Tensor>);
  for (const [path, tensor] of pairs) {
    if (!isTensor(tensor))
      throw new StateError(`unflattenState: '${path}' is ${describe(tensor)}, not a Tensor`, path);
    if (hasPath(tree, path))
      throw new StateError(`unflattenState: path '${path}' is given twice or conflicts`, path);
    setPath(tree, path, tensor);
  }
  return tree;
}

/** A new tree of the same structure with `fn(tensor, path)` at every leaf. */
export function mapState(tree: StateTree, fn: (tensor: Tensor, path: string) => Tensor): StateTree {
  assertStateTree(tree);
  const visit = (node: StateTree, prefix: string): StateTree => {
    const out = createStateTree();
    for (const key of ownKeys(node)) {
      const child = node[key]!;
      const p = joinPath(prefix, key);
      out[key] = isTensor(child) ? fn(child, p) : visit(child, p);
    }
    return out;
  };
  return visit(tree, '');
}

/** A deep copy (every tensor cloned). */
export function cloneState(tree: StateTree): StateTree {
  return mapState(tree, (t) => t.clone());
}

/**
 * Differences in structure between an expected tree and an actual one: missing or extra tensor paths and
 * dtype/shape mismatches, one line each (empty when compatible).
 */
export function diffStateStructure(expected: StateTree, actual: StateTree): string[] {
  const e = flattenState(expected);
  const a = flattenState(actual);
  const problems: string[] = [];
  for (const [path, t] of e) {
    const u = a.get(path);
    if (!u) problems.push(`'${path}': missing (expected ${t.dtype}${formatShape(t.shape)})`);
    else if (u.dtype !== t.dtype || formatShape(u.shape) !== formatShape(t.shape)) {
      problems.push(
        `'${path}': expected ${t.dtype}${formatShape(t.shape)}, got ${u.dtype}${formatShape(u.shape)}`,
      );
    }
  }
  for (const [path, u] of a)
    if (!e.has(path)) problems.push(`'${path}': unexpected (${u.dtype}${formatShape(u.shape)})`);
  return problems;
}

/** Throws a {@link StateError} listing every structural difference (see {@link diffStateStructure}). */
export function assertSameStructure(expected: StateTree, actual: StateTree, where = 'setState'): void {
  const problems = diffStateStructure(expected, actual);
  if (problems.length) {
    throw new StateError(`${where}: state does not match the module:\n  ${problems.join('\n  ')}`, '');
  }
}

/** True when both trees have the same paths and every tensor pair is {@link Tensor.equals}. */
export function stateEquals(a: StateTree, b: StateTree, options?: Parameters<Tensor['equals']>[1]): boolean {
  const fa = flattenState(a);
  const fb = flattenState(b);
  if (fa.size !== fb.size) return false;
  for (const [path, t] of fa) {
    const u = fb.get(path);
    if (!u || !t.equals(u, options)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// split / merge

/** A JSON value (what a graph descriptor may contain). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Something whose mutable state can be read and replaced as a state tree. */
export interface Stateful {
  /** The current state. Tensors may be the module's own storage (no copy). */
  getState(): StateTree;
  /** Replaces the state. Implementations should check the structure (see {@link assertSameStructure}). */
  setState(state: StateTree): void;
}

/** A {@link Stateful} that can also describe itself as plain JSON (the "graph definition"). */
export interface Splittable<G extends JsonValue = JsonValue> extends Stateful {
  /** Everything needed to rebuild the module except its state: class/registry name, config, children. */
  getGraph(): G;
}

/** The two halves of a module: a JSON graph and a state tree. */
export interface SplitModule<G extends JsonValue = JsonValue> {
  readonly graph: G;
  readonly state: StateTree;
}

/** Throws a {@link StateError} naming the first non-JSON value (tensor, typed array, function, NaN…) in `x`. */
export function assertJson(x: unknown, where = 'graph'): asserts x is JsonValue {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        throw new StateError(`${where}${path}: ${v} is not representable in JSON`, path);
      return;
    }
    if (Array.isArray(v)) {
      if (seen.has(v)) throw new StateError(`${where}${path}: cycle`, path);
      seen.add(v);
      for (let i = 0; i < v.length; i++) visit(v[i], `${path}[${i}]`);
      seen.delete(v);
      return;
    }
    if (isPlainObject(v)) {
      if (seen.has(v)) throw new StateError(`${where}${path}: cycle`, path);
      seen.add(v);
      for (const k of Object.keys(v)) {
        if (RESERVED_KEYS.includes(k))
          throw new StateError(`${where}${path}: key '${k}' is reserved`, `${path}.${k}`);
        visit(v[k], `${path}.${k}`);
      }
      seen.delete(v);
      return;
    }
    const what = isTensor(v) ? 'a Tensor (tensors belong in the state)' : describe(v);
    throw new StateError(`${where}${path}: ${what} is not JSON`, path);
  };
  visit(x, '');
}

/**
 * Splits a module into its JSON graph (deep-copied) and its state tree (the module's tensors, not copied),
 * like `spark.split`.
 */
export function split<G extends JsonValue>(module: Splittable<G>): SplitModule<G> {
  const graph = module.getGraph();
  assertJson(graph);
  const state = module.getState();
  assertStateTree(state, 'split: state');
  return { graph: JSON.parse(JSON.stringify(graph)) as G, state };
}

/**
 * Rebuilds a module from a graph and a state, like `spark.merge`: `build(graph)` constructs it (for nn:
 * look the class up in the registry and instantiate it from the config), then `setState(state)` loads the
 * tensors.
 */
export function merge<G extends JsonValue, M extends Stateful>(
  graph: G,
  state: StateTree,
  build: (graph: G) => M,
): M {
  assertJson(graph);
  assertStateTree(state, 'merge: state');
  const module = build(graph);
  module.setState(state);
  return module;
}
