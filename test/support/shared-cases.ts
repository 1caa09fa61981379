import type { TestStores } from './stores';

/** How a suite whose cases run on more than one deployment (the cluster tests reuse them) runs. */
export interface SharedSuiteOptions {
  /** the stores to run on (a Redis cluster's, say); default: the test run's own */
  openStores?: () => Promise<TestStores>;
  /** only the cases of these names; default: every case */
  only?: readonly string[];
}

/**
 * `it` for a shared suite: registers the cases `only` names (all without it). `checked()`,
 * called after the suite's cases are declared, fails on a name no case has, so a renamed
 * case cannot silently drop out of a subset.
 */
export function selectCases(only: readonly string[] | undefined) {
  const declared = new Set<string>();
  return {
    test(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
      declared.add(name);
      if (!only || only.includes(name)) it(name, fn, timeout);
    },
    checked(): void {
      const unknown = (only ?? []).filter((n) => !declared.has(n));
      if (unknown.length) throw new Error(`no case named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
    },
  };
}
