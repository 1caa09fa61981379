import { GroupCommit } from '../../../src/stores/group-commit';

describe('GroupCommit', () => {
  it('sends items added in one turn as one batch and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, string>(async (items) => {
      batches.push(items);
      return items.map((n) => `r${n}`);
    });
    const results = await Promise.all([1, 2, 3].map((n) => group.add(n)));
    expect(results).toEqual(['r1', 'r2', 'r3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('holds items back while maxRunning batches are in flight, then sends them together, at most maxBatch at a time', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const group = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((n) => n * 10);
      },
      2,
      1,
    );
    const first = group.add(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4, 5, 6].map((n) => group.add(n));
    await new Promise((r) => setImmediate(r));
    // the first batch still runs: nothing else was sent
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('fails every item of a failed batch, and the next batch runs', async () => {
    let calls = 0;
    const group = new GroupCommit<string, string>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('store down');
      return items;
    });
    const failed = await Promise.allSettled([group.add('a'), group.add('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe('store down');
    expect(await group.add('c')).toBe('c');
  });
});
