/**
 * MongoDB's update semantics on plain documents, as far as the in-memory stores need them:
 * dotted `$set`/`$unset` paths, `$setOnInsert`, `$pullAll`, `$push`, `$addToSet` and
 * projections. Documents are copied in and out, so a caller can no more change a stored
 * document than it can change MongoDB's.
 */

export type Doc = Record<string, unknown>;

export interface Update {
  set?: Record<string, unknown>;
  unset?: string[];
  pullAll?: Record<string, unknown[]>;
  push?: Record<string, unknown>;
  addToSet?: Record<string, unknown[]>;
}

/**
 * A deep copy keeping Dates. Not structuredClone: under Jest it returns Dates of another realm,
 * which fail the `instanceof Date` checks of the code under test.
 */
export function copy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  return value;
}

function parentOf(doc: Doc, path: string, create: boolean): { node: Doc; key: string } | undefined {
  const segments = path.split('.');
  let node = doc;
  for (const seg of segments.slice(0, -1)) {
    const next = node[seg];
    if (next && typeof next === 'object' && !(next instanceof Date)) node = next as Doc;
    else if (create && next === undefined) node = node[seg] = {};
    else if (create) throw new Error(`cannot create field ${JSON.stringify(seg)} in ${JSON.stringify(path)}: it holds a value`);
    else return undefined;
  }
  return { node, key: segments[segments.length - 1] };
}

export function getPath(doc: Doc, path: string): unknown {
  const at = parentOf(doc, path, false);
  return at?.node[at.key];
}

function arrayAt(doc: Doc, path: string): unknown[] {
  const value = getPath(doc, path);
  if (value === undefined) {
    parentOf(doc, path, true)!.node[path.split('.').pop()!] = [];
    return getPath(doc, path) as unknown[];
  }
  if (!Array.isArray(value)) throw new Error(`field ${JSON.stringify(path)} is not an array`);
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies the update in place, as MongoDB's updateOne would. */
export function applyUpdate(doc: Doc, update: Update): void {
  for (const [path, value] of Object.entries(update.set ?? {})) {
    const at = parentOf(doc, path, true)!;
    at.node[at.key] = copy(value);
  }
  for (const path of update.unset ?? []) {
    const at = parentOf(doc, path, false);
    if (at) delete at.node[at.key];
  }
  for (const [path, values] of Object.entries(update.pullAll ?? {})) {
    const current = getPath(doc, path);
    if (Array.isArray(current)) {
      const kept = current.filter((v) => !values.some((x) => same(x, v)));
      current.splice(0, current.length, ...kept);
    }
  }
  for (const [path, value] of Object.entries(update.push ?? {})) arrayAt(doc, path).push(copy(value));
  for (const [path, values] of Object.entries(update.addToSet ?? {})) {
    const array = arrayAt(doc, path);
    for (const v of values) if (!array.some((x) => same(x, v))) array.push(copy(v));
  }
}

/** A copy of the document with only (1) or without (0) the projected top-level fields; `_id` always stays. */
export function project<T extends Doc>(doc: T, projection?: Record<string, 0 | 1>): T {
  if (!projection || !Object.keys(projection).length) return copy(doc);
  const including = Object.values(projection).some((v) => v === 1);
  const out: Doc = {};
  for (const [key, value] of Object.entries(doc)) {
    const listed = key in projection;
    if (key === '_id' ? projection._id !== 0 : including ? listed : !listed) out[key] = copy(value);
  }
  return out as T;
}
