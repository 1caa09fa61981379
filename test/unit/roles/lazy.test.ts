import { lazily } from '../../../src/roles/lazy';

it('makes each property once, on its first read, and lets a factory read the others', () => {
  const made: string[] = [];
  const bundle: { a: { n: number }; b: { a: { n: number } }; c: string | undefined } = lazily({
    a: () => (made.push('a'), { n: 1 }),
    b: () => (made.push('b'), { a: bundle.a }),
    c: () => (made.push('c'), undefined),
  });
  expect(made).toEqual([]);
  expect(bundle.b.a).toBe(bundle.a);
  expect(made).toEqual(['b', 'a']);
  expect(bundle.c).toBeUndefined();
  expect(bundle.c).toBeUndefined();
  expect(bundle.b).toBe(bundle.b);
  expect(made).toEqual(['b', 'a', 'c']);
});
