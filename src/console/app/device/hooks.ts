import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import type { components } from '../generated/api';

export type Device = components['schemas']['Device'];
export type Task = components['schemas']['Task'];
export type AcsRequest = components['schemas']['AcsRequest'];

/** Queue an RPC for the device and wake it now; refreshes the task list when queued. */
export function useQueueTask(deviceId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (rpc: AcsRequest) => must(api.POST('/devices/{id}/tasks', { params: { path: { id: deviceId } }, body: { rpc, connectionRequest: true } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tasks', deviceId] }),
  });
}
