import { buildTree, filterTree, type TreeNode } from '../../../src/console/app/lib/tree';

const params = {
  'Device.DeviceInfo.SoftwareVersion': { value: '12.0.1', writable: false },
  'Device.DeviceInfo.SerialNumber': { value: '<script>alert(1)</script>', writable: false },
  'Device.Services.VoiceService.1.VoiceProfile.10.Line.1.SIP.AuthUserName': { value: '1001', writable: true },
  'Device.Services.VoiceService.1.VoiceProfile.2.Line.1.SIP.AuthUserName': { value: '1002', writable: true },
  'Device.Services.VoiceService.1.VoiceProfile.2.Line.1.Enable': { value: true, writable: true },
  'Device.ManagementServer.': { writable: false },
};

const names = (nodes: TreeNode[]) => nodes.map((n) => n.name);
const find = (nodes: TreeNode[], path: string): TreeNode | undefined => {
  for (const n of nodes) {
    if (n.path === path) return n;
    const hit = find(n.children, path);
    if (hit) return hit;
  }
  return undefined;
};

describe('console parameter tree', () => {
  it('nests the flat map under objects ending with a dot', () => {
    const tree = buildTree(params);
    expect(names(tree)).toEqual(['Device']);
    expect(tree[0]!.path).toBe('Device.');
    expect(names(tree[0]!.children)).toEqual(['DeviceInfo', 'ManagementServer', 'Services']);
    const serial = find(tree, 'Device.DeviceInfo.SerialNumber')!;
    expect(serial.param?.value).toBe('<script>alert(1)</script>');
    expect(serial.children).toEqual([]);
  });

  it('sorts instance numbers numerically and counts the leaves below each object', () => {
    const tree = buildTree(params);
    expect(names(find(tree, 'Device.Services.VoiceService.1.VoiceProfile.')!.children)).toEqual(['2', '10']);
    expect(tree[0]!.leaves).toBe(5);
    expect(find(tree, 'Device.Services.VoiceService.1.VoiceProfile.2.')!.leaves).toBe(2);
    expect(find(tree, 'Device.ManagementServer.')!.leaves).toBe(0);
  });

  it('filters on path or value, keeps ancestors and opens them', () => {
    const tree = buildTree(params);
    const { nodes, open } = filterTree(tree, '1002');
    const profiles = find(nodes, 'Device.Services.VoiceService.1.VoiceProfile.')!;
    expect(names(profiles.children)).toEqual(['2']);
    expect(find(nodes, 'Device.Services.VoiceService.1.VoiceProfile.2.Line.1.SIP.AuthUserName')).toBeDefined();
    expect(find(nodes, 'Device.DeviceInfo.')).toBeUndefined();
    expect(open.has('Device.Services.VoiceService.1.VoiceProfile.2.Line.1.SIP.')).toBe(true);
    expect(open.has('Device.')).toBe(true);
    expect(filterTree(tree, 'softwareversion').nodes[0]!.children.map((c) => c.name)).toEqual(['DeviceInfo']);
  });

  it('returns the tree untouched for an empty filter', () => {
    const tree = buildTree(params);
    expect(filterTree(tree, '  ').nodes).toBe(tree);
  });

  it('builds a huge tree without recursion limits', () => {
    const many: Record<string, { value: string }> = {};
    for (let i = 1; i <= 20000; i++) many[`Device.X.${i}.Value`] = { value: String(i) };
    const tree = buildTree(many);
    expect(tree[0]!.leaves).toBe(20000);
    expect(tree[0]!.children[0]!.children[9]!.name).toBe('10');
  });
});
