import { ciscoMppModel } from './cisco-mpp';
import { PRODUCTS } from './products';
import { ModelTree } from './tree';

export { DataModel, type ParamAttributes } from './model';
export { ModelTree, type ObjectNode, type TreeNode } from './tree';
export { checkValue, type ValueProblem } from './values';
export type { FactorySettings, ParamSpec } from './spec';
export { UNKNOWN_TIME } from './spec';
export * from './products';

const trees = new Map<string, ModelTree>();

/**
 * The shared, read-only tree of a product class (built on first use). `lines` replaces the
 * product's number of extensions: each adds a VoiceProfile of about 117 names, which is how
 * benches and tests get a data model of thousands of names from the same declaration.
 */
export function productTree(productClass: string, lines?: number): ModelTree {
  const key = lines === undefined ? productClass : `${productClass}/${lines}`;
  let tree = trees.get(key);
  if (!tree) {
    const product = PRODUCTS[productClass];
    if (!product) throw new RangeError(`unknown product class ${JSON.stringify(productClass)}`);
    if (lines !== undefined && !(Number.isInteger(lines) && lines >= 1)) throw new RangeError(`lines must be a positive integer, got ${lines}`);
    tree = ModelTree.build(ciscoMppModel(lines === undefined ? product : { ...product, lines }));
    trees.set(key, tree);
  }
  return tree;
}
