/**
 * What each Server-Sent Event of /api/v1/events makes stale: the query keys to refetch, so
 * the page shows the change without reloading.
 */
export type LiveEvent = 'task' | 'session' | 'parameters' | 'device';
export const LIVE_EVENTS: readonly LiveEvent[] = ['task', 'session', 'parameters', 'device'];

export function staleKeys(event: LiveEvent, deviceId: string): string[][] {
  switch (event) {
    case 'task':
      return [['tasks', deviceId], ['faults', deviceId], ['device', deviceId], ['history', deviceId]];
    case 'session':
      return [['sessions', deviceId], ['device', deviceId], ['transfers', deviceId]];
    case 'parameters':
      return [['params', deviceId], ['drift', deviceId]];
    case 'device':
      return [['device', deviceId], ['provisioning', deviceId]];
  }
}
