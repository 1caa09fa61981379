import { eachLimited, FIRST_PAGE, nextPage, pageNumber, previousPage, sortDirection, toggleSort } from '../../../src/console/app/lib/paging';

describe('console device paging and sorting', () => {
  it('walks forwards with nextCursor and back through the cursors seen', () => {
    const two = nextPage(FIRST_PAGE, 'c2');
    const three = nextPage(two, 'c3');
    expect(pageNumber(three)).toBe(3);
    expect(three.current).toBe('c3');
    expect(previousPage(three)).toEqual(two);
    expect(previousPage(two)).toEqual(FIRST_PAGE);
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(nextPage(three, null)).toBe(three);
  });

  it('sorts times newest first on the first click and flips on the next', () => {
    expect(toggleSort('id', 'lastInformAt')).toBe('-lastInformAt');
    expect(toggleSort('-lastInformAt', 'lastInformAt')).toBe('lastInformAt');
    expect(toggleSort('lastInformAt', 'lastInformAt')).toBe('-lastInformAt');
    expect(toggleSort('-lastInformAt', 'registeredAt')).toBe('-registeredAt');
    expect(toggleSort('-registeredAt', 'id')).toBe('id');
    expect(sortDirection('-registeredAt', 'registeredAt')).toBe('descending');
    expect(sortDirection('id', 'id')).toBe('ascending');
    expect(sortDirection('id', 'lastInformAt')).toBe('none');
  });

  it('runs bulk work with bounded concurrency and reports each failure', async () => {
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    const failures = await eachLimited(items, 3, async (i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      if (i % 7 === 0) throw new Error(`no ${i}`);
    });
    expect(most).toBe(3);
    expect(failures.map((f) => f.item).sort((a, b) => a - b)).toEqual([0, 7, 14]);
    expect(await eachLimited([], 4, async () => {})).toEqual([]);
  });
});
