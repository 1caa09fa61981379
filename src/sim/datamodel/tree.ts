import type { ObjectSpec, ParamSpec, TableSpec } from './spec';

/**
 * A data model declaration expanded into named nodes: parameters by full name, objects by
 * their name ending in '.'. Object nodes keep their children in order, so listings come out
 * in tree order. A tree is shared by every device of a product until one of them adds or
 * deletes an instance; that device then works on its own copy (see DataModel).
 */

export interface ObjectNode {
  kind: 'object';
  /** full names of the children, parameters and objects mixed, in declaration order */
  children: readonly string[];
  /** for a table: AddObject allowed; for an instance: DeleteObject allowed */
  writable: boolean;
  /** set on a table node */
  table?: TableSpec;
  /** next instance number AddObject hands out (table nodes only) */
  next?: number;
}

export type TreeNode = ParamSpec | ObjectNode;

export class ModelTree {
  private constructor(
    private readonly nodes: Map<string, TreeNode>,
    readonly root: string,
    /** forced-inform parameters, in tree order */
    readonly forcedInform: readonly string[],
  ) {}

  static build(spec: ObjectSpec, root = 'Device.'): ModelTree {
    const nodes = new Map<string, TreeNode>();
    addObject(nodes, root, spec, false);
    const forced = [...walk(nodes, root)].filter(([, n]) => n.kind === 'param' && n.forcedInform).map(([name]) => name);
    return new ModelTree(nodes, root, forced);
  }

  clone(): ModelTree {
    return new ModelTree(new Map(this.nodes), this.root, this.forcedInform);
  }

  get(name: string): TreeNode | undefined {
    return this.nodes.get(name);
  }

  /** The node at `path` and every node below it, depth first in tree order. */
  walk(path: string): Iterable<[string, TreeNode]> {
    return walk(this.nodes, path);
  }

  /** Creates instance `table.<next>.`; the caller checked that `table` is a table node. */
  addInstance(tableName: string): number {
    const node = this.nodes.get(tableName) as ObjectNode;
    const spec = node.table as TableSpec;
    const n = node.next as number;
    const name = `${tableName}${n}.`;
    addObject(this.nodes, name, spec.instance(n), spec.writable);
    this.nodes.set(tableName, { ...node, children: [...node.children, name], next: n + 1 });
    return n;
  }

  /** Removes an instance and everything below it; returns the names removed. */
  deleteInstance(instanceName: string): string[] {
    const removed = [...this.walk(instanceName)].map(([name]) => name);
    for (const name of removed) this.nodes.delete(name);
    const tableName = parentOf(instanceName);
    const table = this.nodes.get(tableName) as ObjectNode;
    this.nodes.set(tableName, { ...table, children: table.children.filter((c) => c !== instanceName) });
    return removed;
  }
}

/** `A.B.C` -> `A.B.`; `A.B.C.` -> `A.B.` */
export function parentOf(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed.slice(0, trimmed.lastIndexOf('.') + 1);
}

function addObject(nodes: Map<string, TreeNode>, name: string, spec: ObjectSpec, writable: boolean): void {
  const children: string[] = [];
  nodes.set(name, { kind: 'object', children, writable });
  for (const [key, child] of Object.entries(spec.children)) {
    if (child.kind === 'param') {
      children.push(name + key);
      nodes.set(name + key, child);
    } else if (child.kind === 'object') {
      children.push(`${name}${key}.`);
      addObject(nodes, `${name}${key}.`, child, false);
    } else {
      const tableName = `${name}${key}.`;
      children.push(tableName);
      const instances: string[] = [];
      for (let n = 1; n <= child.initial; n++) {
        instances.push(`${tableName}${n}.`);
        addObject(nodes, `${tableName}${n}.`, child.instance(n), child.writable);
      }
      nodes.set(tableName, { kind: 'object', children: instances, writable: child.writable, table: child, next: child.initial + 1 });
    }
  }
}

function* walk(nodes: ReadonlyMap<string, TreeNode>, path: string): Generator<[string, TreeNode]> {
  const node = nodes.get(path);
  if (!node) return;
  yield [path, node];
  if (node.kind === 'object') for (const child of node.children) yield* walk(nodes, child);
}
