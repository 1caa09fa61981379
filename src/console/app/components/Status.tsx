import type { ReactNode } from 'react';

/** The three states of anything loaded: loading, failed (with the server's reason), loaded. */
export function Loaded<T>({ query, children, what }: { query: { isPending: boolean; error: Error | null; data: T | undefined }; what: string; children: (data: T) => ReactNode }) {
  if (query.error) return <p className="error" role="alert">{`Could not load ${what}: ${query.error.message}`}</p>;
  if (query.isPending || query.data === undefined) return <p role="status">{`Loading ${what}…`}</p>;
  return <>{children(query.data)}</>;
}
