import type { AcsRequest } from '../cwmp/soap/types';
import type { TaskDoc, TaskStatus } from '../tasks/types';
import type { StoredTarget } from './target';
import type { Wave } from './waves';

/**
 * planning: finding the devices and persisting their ids in chunks (the plan; no task yet);
 * releasing: storing each device's tasks and announcing them to it, at the job's rate;
 * released: every device released (or the job expired before it released the rest, which
 * count as expired), outcomes still coming in;
 * done: every task final; cancelling → cancelled: pending tasks are being cancelled (devices
 * not released count as cancelled).
 */
export type JobState = 'planning' | 'releasing' | 'released' | 'cancelling' | 'cancelled' | 'done';


export interface JobDoc {
  /** ObjectId hex */
  _id: string;
  name?: string;
  rpcs: AcsRequest[];
  /** exactly one of a list, a tag or a filter (see target.ts for how a filter is stored) */
  target: StoredTarget;
  /** the filter may use fields without an index */
  scan: boolean;
  /** devices released per second */
  rate: number;
  /** cumulative waves: the job pauses at the end of each (see waves.ts) */
  waves?: Wave[];
  connectionRequest: boolean;
  expiresAt?: Date;
  expect?: TaskDoc['expect'];
  state: JobState;
  /** no further device is released while set */
  paused: boolean;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  /** what planning found; set when it ends */
  plan?: { devices: number; chunks: number };
  /** times planning started (a restart after a crash cleans up the attempt before) */
  planAttempts: number;
  /** devices released so far, in plan order: the tasks of those before it are stored */
  release: { position: number; updatedAt: Date };
  /** the worker driving a step that must not run twice at once (planning, cancelling) */
  lease?: { owner: string; until: Date };
  finishedAt?: Date;
  /** task counts by status, frozen when the job ends */
  counts?: Record<TaskStatus, number>;
}

/** The planned devices of a job, in release order, a thousand per document, read by `_id`. */
export interface JobChunkDoc {
  /** `<jobId>-<seq, 6 digits>` */
  _id: string;
  jobId: string;
  seq: number;
  deviceIds: string[];
}

export const CHUNK_SIZE = 1000;
