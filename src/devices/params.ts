import type { ParamValue, XsdType } from '../cwmp/soap/types';
import type { ParamLeaf, ParamObject, ParamTree } from './types';

/**
 * Parameter paths ↔ fields of the nested `params` tree of a device document. The tree keeps
 * leaf attributes under `_`-prefixed keys, so path segments may not start with `_`; segments
 * are TR-106 names, instance numbers or `[alias]` references.
 */

const SEGMENT = /^(?:[A-Za-z0-9][A-Za-z0-9_-]*|\[[A-Za-z0-9_-]+\])$/;
export const MAX_PATH_LENGTH = 256;

export class InvalidPathError extends Error {
  constructor(readonly path: string) {
    super(`invalid parameter path ${JSON.stringify(path.slice(0, 80))}`);
    this.name = 'InvalidPathError';
  }
}

export interface ParsedPath {
  segments: string[];
  /** the path ends with '.', i.e. names an object (or a partial path) */
  isObject: boolean;
}

export function parsePath(path: string): ParsedPath {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) throw new InvalidPathError(path);
  const isObject = path.endsWith('.');
  const segments = (isObject ? path.slice(0, -1) : path).split('.');
  if (!segments.every((s) => SEGMENT.test(s))) throw new InvalidPathError(path);
  return { segments, isObject };
}

export function isValidPath(path: string): boolean {
  try {
    parsePath(path);
    return true;
  } catch {
    return false;
  }
}

/** The dotted MongoDB field of a path inside the device document. */
export function fieldOf(path: string): string {
  return `params.${parsePath(path).segments.join('.')}`;
}

/** `$set` fields recording a value learned at `ts`; other attributes of the leaf are kept. */
export function valueFields(path: string, value: ParamValue, type: XsdType, ts: Date): Record<string, unknown> {
  const f = fieldOf(path);
  return { [`${f}._v`]: value, [`${f}._t`]: type, [`${f}._ts`]: ts };
}

/** Builds a fresh tree from learned values (used when BOOTSTRAP discards what was known). */
export function buildTree(values: Array<{ name: string; value: ParamValue; type: XsdType }>, ts: Date): ParamTree {
  const root: ParamTree = {};
  for (const { name, value, type } of values) {
    const { segments } = parsePath(name);
    let node = root;
    for (const seg of segments.slice(0, -1)) {
      const next = node[seg];
      node = (next && typeof next === 'object' ? next : (node[seg] = {})) as ParamTree;
    }
    const last = segments[segments.length - 1];
    const leaf = (node[last] ?? {}) as ParamLeaf;
    node[last] = { ...leaf, _v: value, _t: type, _ts: ts };
  }
  return root;
}

const ATTRIBUTE_KEYS = new Set(['_v', '_t', '_ts', '_w', '_n', '_a', '_ats', '_o']);

export function isLeaf(node: unknown): node is ParamLeaf {
  return !!node && typeof node === 'object' && ('_v' in node || '_w' in node || '_n' in node) && !('_o' in node);
}

/** Every leaf below `tree`, with its full path (prefix + segments). */
export function* leaves(tree: ParamTree, prefix = ''): Generator<[string, ParamLeaf]> {
  for (const [key, child] of Object.entries(tree)) {
    if (ATTRIBUTE_KEYS.has(key) || !child || typeof child !== 'object' || child instanceof Date) continue;
    const path = prefix + key;
    if (isLeaf(child)) yield [path, child];
    yield* leaves(child as ParamTree, `${path}.`);
  }
}

/** The subtree at `segments`, or undefined. */
export function subtree(tree: ParamTree | undefined, segments: string[]): ParamTree | undefined {
  let node: unknown = tree;
  for (const seg of segments) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as ParamTree)[seg];
  }
  return node && typeof node === 'object' ? (node as ParamTree) : undefined;
}

/**
 * Merges a GetParameterNames listing into what the ACS knew below `path`: names in the
 * listing keep their known values and get their writability; known names below the listed
 * scope that the device no longer reports are dropped. With `nextLevel`, only the immediate
 * children are listed, so deeper knowledge of still-present children is kept.
 */
export function mergeNames(
  known: ParamTree | undefined,
  path: string,
  names: Array<{ name: string; writable: boolean }>,
  nextLevel: boolean,
  ts: Date,
): ParamTree {
  const base = path === '' ? [] : parsePath(path).segments;
  const result: ParamTree = {};
  for (const { name, writable } of names) {
    const { segments, isObject } = parsePath(name);
    if (segments.length < base.length || base.some((s, i) => s !== segments[i])) continue;
    if (segments.length === base.length) {
      // The listed object itself (GetParameterNames includes the path it was asked for).
      if (isObject) Object.assign(result, { _o: true, _w: writable, _ts: ts });
      continue;
    }
    const rel = segments.slice(base.length);
    let node = result;
    let knownNode = known;
    for (const seg of rel.slice(0, -1)) {
      knownNode = subtree(knownNode, [seg]);
      if (!node[seg] || typeof node[seg] !== 'object') node[seg] = { _o: true } satisfies ParamObject;
      node = node[seg] as ParamTree;
    }
    const last = rel[rel.length - 1];
    const previous = subtree(knownNode, [last]);
    if (isObject) {
      const kept = nextLevel && previous ? stripAttributes(previous) : {};
      node[last] = { ...kept, ...(node[last] as object), _o: true, _w: writable, _ts: ts };
    } else {
      node[last] = { ...(isLeaf(previous) ? previous : {}), _w: writable };
    }
  }
  return result;
}

function stripAttributes(tree: ParamTree): ParamTree {
  const out: ParamTree = {};
  for (const [k, v] of Object.entries(tree)) if (!ATTRIBUTE_KEYS.has(k)) out[k] = v;
  return out;
}
