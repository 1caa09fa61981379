import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';

/** At most one refetch a second per job, however many of its tasks finish meanwhile. */
const THROTTLE_MS = 1000;

/**
 * Job progress without reloading: every `job` event (a job's task reached a final status) marks
 * that job's figures and results stale, batched a second at a time. `jobId` narrows it to one
 * job; the list listens to all.
 */
export function useJobLive(jobId?: string): 'live' | 'reconnecting' {
  const queries = useQueryClient();
  const [state, setState] = useState<'live' | 'reconnecting'>('reconnecting');
  useEffect(() => {
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const due = new Map<string, ReturnType<typeof setTimeout>>();
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    source.addEventListener('job', (e) => {
      const id = (JSON.parse((e as MessageEvent<string>).data) as { jobId: string }).jobId;
      if ((jobId && id !== jobId) || due.has(id)) return;
      due.set(
        id,
        setTimeout(() => {
          due.delete(id);
          void queries.invalidateQueries({ queryKey: ['jobs'] });
          void queries.invalidateQueries({ queryKey: ['job', id] });
          void queries.invalidateQueries({ queryKey: ['job-tasks', id] });
        }, THROTTLE_MS),
      );
    });
    return () => {
      source.close();
      due.forEach((t) => clearTimeout(t));
    };
  }, [jobId, queries]);
  return state;
}

/** Release ticks and a job's end are not announced: an active job is also re-read this often. */
export const ACTIVE_REFETCH_MS = 10_000;
