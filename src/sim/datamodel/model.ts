import type { ParamValue, XsdType } from '../../cwmp/soap/types';
import type { FactorySettings, LiveValue, ParamSpec } from './spec';
import { ModelTree, parentOf, type ObjectNode, type TreeNode } from './tree';

export interface ParamAttributes {
  notification: number;
  accessList: readonly string[];
}

const NO_ACCESS_LIST: readonly string[] = [];
const PASSIVE: ParamAttributes = { notification: 0, accessList: NO_ACCESS_LIST };
const ACTIVE: ParamAttributes = { notification: 2, accessList: NO_ACCESS_LIST };

/**
 * One device's parameters: the product's shared tree and defaults, overlaid with the few
 * things this device changed (values, attributes, and its own copy of the tree once it
 * adds or deletes an instance). Plain data access, no CWMP rules: those live in Device.
 */
export class DataModel {
  private tree: ModelTree;
  private ownsTree = false;
  private values: Map<string, ParamValue> | undefined;
  private attrs: Map<string, ParamAttributes> | undefined;

  constructor(
    private readonly base: ModelTree,
    readonly factory: FactorySettings,
    private readonly live: (kind: LiveValue) => ParamValue,
  ) {
    this.tree = base;
  }

  get root(): string {
    return this.tree.root;
  }

  get forcedInform(): readonly string[] {
    return this.tree.forcedInform;
  }

  node(name: string): TreeNode | undefined {
    return this.tree.get(name);
  }

  /** The parameter's declaration, or undefined for objects and unknown names. */
  param(name: string): ParamSpec | undefined {
    const node = this.tree.get(name);
    return node?.kind === 'param' ? node : undefined;
  }

  has(name: string): boolean {
    return this.tree.get(name) !== undefined;
  }

  /** The stored value, hidden ones included (the simulator's own view). */
  get(name: string): ParamValue {
    const spec = this.requireParam(name);
    const changed = this.values?.get(name);
    if (changed !== undefined) return changed;
    if (spec.live) return this.live(spec.live);
    if (spec.countOf) return (this.tree.get(parentOf(name) + spec.countOf + '.') as ObjectNode).children.length;
    if (spec.factory) return this.factory[spec.factory];
    return spec.value;
  }

  /** The value as the ACS sees it: hidden parameters read back as ''. */
  read(name: string): ParamValue {
    return this.requireParam(name).hidden ? '' : this.get(name);
  }

  type(name: string): XsdType {
    return this.requireParam(name).type;
  }

  /** Stores a value without any checks; Device validates what comes from the ACS. */
  set(name: string, value: ParamValue): void {
    this.requireParam(name);
    (this.values ??= new Map()).set(name, value);
  }

  /** Names of the parameters at or below `path` ('' = everything), in tree order. */
  parameterNames(path: string): string[] {
    const names: string[] = [];
    for (const [name, node] of this.tree.walk(path === '' ? this.tree.root : path)) if (node.kind === 'param') names.push(name);
    return names;
  }

  /** Every node at or below `path`, objects included, in tree order. */
  walk(path: string): Iterable<[string, TreeNode]> {
    return this.tree.walk(path);
  }

  attributes(name: string): ParamAttributes {
    const set = this.attrs?.get(name);
    if (set) return set;
    const notify = this.requireParam(name).notify;
    return notify === 'forceDefaultEnabled' || notify === 'forceEnabled' ? ACTIVE : PASSIVE;
  }

  setAttributes(name: string, attrs: ParamAttributes): void {
    this.requireParam(name);
    (this.attrs ??= new Map()).set(name, attrs);
  }

  /** Adds an instance to a table node (checked by the caller); returns its number. */
  addInstance(tableName: string): number {
    return this.ownTree().addInstance(tableName);
  }

  deleteInstance(instanceName: string): void {
    for (const name of this.ownTree().deleteInstance(instanceName)) {
      this.values?.delete(name);
      this.attrs?.delete(name);
    }
  }

  /** Back to the factory state: shared tree, no changed values or attributes. */
  reset(): void {
    this.tree = this.base;
    this.ownsTree = false;
    this.values = undefined;
    this.attrs = undefined;
  }

  private ownTree(): ModelTree {
    if (!this.ownsTree) {
      this.tree = this.tree.clone();
      this.ownsTree = true;
    }
    return this.tree;
  }

  private requireParam(name: string): ParamSpec {
    const node = this.tree.get(name);
    if (node?.kind !== 'param') throw new RangeError(`no parameter ${JSON.stringify(name)} in the simulated data model`);
    return node;
  }
}
