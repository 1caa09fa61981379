/**
 * The learned parameter tree, built from the flat `path -> parameter` map the API returns.
 * Children are rendered only when their node is expanded, so a huge tree costs only what is
 * on screen; instance numbers sort numerically (2 before 10).
 */
export interface ParamValue {
  value?: string | number | boolean;
  type?: string;
  updatedAt?: string;
  writable?: boolean;
}

export interface TreeNode {
  /** the last path segment */
  name: string;
  /** full path; objects end with a dot, as in CWMP */
  path: string;
  param?: ParamValue;
  children: TreeNode[];
  /** parameters below (leaves), for the collapsed summary */
  leaves: number;
}

export function buildTree(params: Record<string, ParamValue>): TreeNode[] {
  const root: TreeNode = { name: '', path: '', children: [], leaves: 0 };
  const index = new Map<string, TreeNode>([['', root]]);
  for (const [path, param] of Object.entries(params)) {
    const isObject = path.endsWith('.');
    const segments = (isObject ? path.slice(0, -1) : path).split('.');
    let parent = root;
    let prefix = '';
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const nodePath = last && !isObject ? `${prefix}${segment}` : `${prefix}${segment}.`;
      let node = index.get(nodePath);
      if (!node) {
        node = { name: segment, path: nodePath, children: [], leaves: 0 };
        index.set(nodePath, node);
        parent.children.push(node);
      }
      if (last && !isObject) node.param = param;
      parent = node;
      prefix = nodePath.endsWith('.') ? nodePath : `${nodePath}.`;
    });
  }
  finish(root);
  return root.children;
}

const collator = new Intl.Collator('en', { numeric: true });

function finish(node: TreeNode): number {
  node.children.sort((a, b) => collator.compare(a.name, b.name));
  node.leaves = node.children.length ? node.children.reduce((n, c) => n + finish(c), 0) : node.param ? 1 : 0;
  return node.leaves;
}

/**
 * The tree cut down to what matches `filter` (case-insensitive, in a path or a value), with
 * every ancestor of a match kept. Returns the matching paths' ancestors for auto-expansion.
 */
export function filterTree(nodes: TreeNode[], filter: string): { nodes: TreeNode[]; open: Set<string> } {
  const needle = filter.trim().toLowerCase();
  const open = new Set<string>();
  if (!needle) return { nodes, open };
  const walk = (list: TreeNode[]): TreeNode[] => {
    const kept: TreeNode[] = [];
    for (const node of list) {
      const selfMatch = node.path.toLowerCase().includes(needle) || (node.param?.value !== undefined && String(node.param.value).toLowerCase().includes(needle));
      if (selfMatch && !node.children.length) {
        kept.push(node);
        continue;
      }
      const children = walk(node.children);
      if (children.length || selfMatch) {
        if (children.length) open.add(node.path);
        kept.push({ ...node, children: children.length ? children : node.children, leaves: children.length ? children.reduce((n, c) => n + c.leaves, 0) : node.leaves });
      }
    }
    return kept;
  };
  return { nodes: walk(nodes), open };
}
