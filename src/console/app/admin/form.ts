import { useState } from 'react';
import { ApiError } from '../api';

/**
 * A form's state while it talks to the API: busy, and the refusal to show (as a whole and per
 * field). The inputs are uncontrolled, so a refused save leaves what was typed in place.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const about = (field: string) => (error instanceof ApiError ? error.about(field) : undefined);
  return { busy, error, run, about };
}
