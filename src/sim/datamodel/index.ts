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

/** The shared, read-only tree of a product class (built on first use). */
export function productTree(productClass: string): ModelTree {
  let tree = trees.get(productClass);
  if (!tree) {
    const product = PRODUCTS[productClass];
    if (!product) throw new RangeError(`unknown product class ${JSON.stringify(productClass)}`);
    tree = ModelTree.build(ciscoMppModel(product));
    trees.set(productClass, tree);
  }
  return tree;
}
