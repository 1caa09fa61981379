import type { FieldUpdate } from './learn';

/**
 * How an update of a device's parameter tree reaches the store. FerretDB's cost for one
 * update grows with the number of dotted fields times the size of the document (6,000 fields
 * on a fresh document take about 10 s, 60,000 never finish), so a large update is instead
 * merged in memory into the few subtrees it touches, which are then written whole: one read
 * and one update of at most MAX_GROUPS fields, whatever the size of the message. Pure.
 */

/** Updates up to this many fields are written as they are, in the shared group commit. */
export const MAX_DIRECT_FIELDS = 256;
/** Most subtrees one merged update replaces. */
export const MAX_GROUPS = 64;

/**
 * The subtrees (`params.Device.X`) a large update is merged into, or undefined when it is
 * small enough to write as it is. Subtrees are as deep as possible (at most three segments
 * below `params`) while there are at most MAX_GROUPS of them; none contains another.
 */
export function mergeGroups(update: FieldUpdate): string[] | undefined {
  const fields = [...Object.keys(update.set), ...update.unset];
  if (fields.length <= MAX_DIRECT_FIELDS) return undefined;
  // A leaf's attributes (`._v`, `._t`, `._ts`) share one deepest group, so there are few of
  // them; the shallower groups are their prefixes. A GetParameterValues of every parameter
  // has thousands of fields: splitting each of them at every depth cost more than the rest
  // of the merge.
  const deepest = new Set<string>();
  for (const f of fields) deepest.add(groupOf(f));
  for (const depth of [3, 2, 1]) {
    const groups = new Set<string>();
    for (const g of deepest) {
      groups.add(prefix(g, depth));
      if (groups.size > MAX_GROUPS) break;
    }
    if (groups.size <= MAX_GROUPS) return outermost([...groups]);
  }
  return ['params'];
}

/** `params` and at most three segments of a field below it, never the field's last one. */
function groupOf(field: string): string {
  const dots: number[] = [];
  for (let i = field.indexOf('.'); i >= 0 && dots.length < 5; i = field.indexOf('.', i + 1)) dots.push(i);
  return field.slice(0, dots[Math.min(3, dots.length - 1)]);
}

/** `params` and at most `depth` segments of a group below it. */
function prefix(group: string, depth: number): string {
  let end = -1;
  for (let d = 0; d <= depth; d++) {
    end = group.indexOf('.', end + 1);
    if (end < 0) return group;
  }
  return group.slice(0, end);
}

/** Drops groups inside another group. */
function outermost(groups: string[]): string[] {
  const set = new Set(groups);
  return groups.filter((g) => {
    const parts = g.split('.');
    for (let i = 1; i < parts.length; i++) if (set.has(parts.slice(0, i).join('.'))) return false;
    return true;
  });
}

/**
 * The `$set` replacing each group with what is stored there (`stored`, the document read
 * with the groups projected) with the update applied, as MongoDB would apply it.
 */
export function mergedSet(stored: Record<string, unknown> | null, update: FieldUpdate, groups: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = { params: (stored?.params as Record<string, unknown> | undefined) ?? {} };
  // The attributes of one leaf share their parent, found once. Safe to keep: no field of a
  // MongoDB update is a prefix of another (the server refuses such an update), so no later
  // field replaces a parent found here.
  const parents = new Map<string, Record<string, unknown>>();
  for (const [field, value] of Object.entries(update.set)) {
    const dot = field.lastIndexOf('.');
    const parentPath = dot < 0 ? '' : field.slice(0, dot);
    let node = parents.get(parentPath);
    if (!node) {
      node = root;
      for (const seg of parentPath ? parentPath.split('.') : []) {
        const next = node[seg];
        node = (next && typeof next === 'object' && !(next instanceof Date) ? next : (node[seg] = {})) as Record<string, unknown>;
      }
      parents.set(parentPath, node);
    }
    node[field.slice(dot + 1)] = value;
  }
  for (const field of update.unset) {
    const path = field.split('.');
    const parent = walk(root, path.slice(0, -1));
    if (parent) delete parent[path[path.length - 1]];
  }
  return Object.fromEntries(groups.map((g) => [g, walk(root, g.split('.')) ?? {}]));
}

function walk(root: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const seg of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}
