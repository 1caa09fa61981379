import { ObjectId } from 'mongodb';
import type { AcsRequest } from '../../cwmp/soap/types';
import { unindexedFields, type DeviceFilter } from '../../devices/filter';
import { checkWaves, type Wave } from '../../firmware/waves';
import { previewTarget } from '../../jobs/preview';
import { jobProgress } from '../../jobs/progress';
import { storeTarget } from '../../jobs/target';
import type { JobDoc } from '../../jobs/types';
import type { TaskDoc, TaskStatus } from '../../tasks/types';
import { API_PREFIX } from '../openapi';
import { decodeCursor, toPage } from '../pagination';
import { conflict, invalidField, notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { normaliseRpc } from '../rpc';
import { ref } from '../schemas';
import type { ApiServices } from '../services';
import { jobView } from '../views';
import { CONFLICT, cursorSchema, limitSchema, NOT_FOUND, objectIdSchema } from './common';
import { expiry, listTasks, taskFilter } from './tasks';

interface JobCreate {
  name?: string;
  rpcs: AcsRequest[];
  target: { deviceIds?: string[]; tag?: string; filter?: DeviceFilter };
  scan: boolean;
  rate: number;
  connectionRequest: boolean;
  expiresIn?: number;
  expect?: TaskDoc['expect'];
  paused: boolean;
  waves?: Wave[];
}

const jobIdParams = parameters({ jobId: objectIdSchema }, ['jobId']);
const jobResponse = (description: string) => ({ description, schema: ref('jobs', 'Job') });

export const jobRoutes: RouteModule = (s) => {
  const load = async (id: string): Promise<JobDoc> => {
    const job = await s.jobs.get(id);
    if (!job) throw notFound(`job ${id}`);
    return job;
  };
  const view = async (job: JobDoc) => jobView(await jobProgress(s, s.jobCounter, job));
  return [
    defineRoute<Record<string, never>, Record<string, never>, JobCreate>({
      method: 'POST',
      path: '/jobs',
      operationId: 'createJob',
      summary: 'Run an RPC sequence on every device of a list, a tag or a filter',
      description:
        'The job finds its devices, then releases them at `rate` per second (waking each with a connection request when asked), creating one task per device and RPC as it releases the device. ' +
        'A filter on fields without an index needs `scan: true`.',
      tag: 'jobs',
      role: 'operator',
      audit: 'job.create',
      body: { schema: ref('jobs', 'JobCreate') },
      responses: { 201: jobResponse('Accepted; planning starts at once.'), 422: { description: 'Some listed devices do not exist.' } },
      async handle({ body, actor }) {
        const rpcs = body.rpcs.map((rpc, i) => normaliseRpc(rpc, `rpcs.${i}`));
        await checkTarget(s, body);
        if (body.waves?.length) checkJobWaves(body.waves);
        const now = new Date();
        const job: JobDoc = {
          _id: new ObjectId().toHexString(),
          ...(body.name ? { name: body.name } : {}),
          rpcs,
          target: storeTarget(body.target),
          scan: body.scan,
          rate: body.rate,
          ...(body.waves?.length ? { waves: body.waves } : {}),
          connectionRequest: body.connectionRequest,
          expiresAt: expiry(s, body.expiresIn, now.getTime()),
          ...(body.expect ? { expect: body.expect } : {}),
          state: 'planning',
          paused: body.paused,
          createdAt: now,
          updatedAt: now,
          createdBy: actor.name,
          planAttempts: 0,
          release: { position: 0, updatedAt: now },
        };
        await s.jobs.create(job);
        try {
          await s.queues.plan(job._id);
        } catch (err) {
          s.log.warn({ event: 'job.plan_not_queued', jobId: job._id, err: (err as Error).message }, 'planning not queued; the reconciler will start it');
        }
        return {
          status: 201,
          headers: { Location: `${API_PREFIX}/jobs/${job._id}` },
          body: await view(job),
          audit: { target: job._id, details: { name: job.name, methods: rpcs.map((r) => r.method), target: Object.keys(body.target)[0], rate: job.rate } },
        };
      },
    }),

    defineRoute<Record<string, never>, Record<string, never>, Pick<JobCreate, 'target' | 'scan'>>({
      method: 'POST',
      path: '/jobs/preview',
      operationId: 'previewJob',
      summary: 'How many devices a job on this target would cover, without creating it',
      description: 'Refuses what `POST /jobs` refuses about the target (unknown listed devices, a filter without an index and no `scan`). The count is of now; planning counts again.',
      tag: 'jobs',
      role: 'operator',
      body: { schema: ref('jobs', 'JobPreviewRequest') },
      responses: { 200: { description: 'The devices the target covers now.', schema: ref('jobs', 'JobPreview') }, 422: { description: 'Some listed devices do not exist.' } },
      async handle({ body }) {
        await checkTarget(s, body);
        return { body: await previewTarget(s.devices, body.target) };
      },
    }),

    defineRoute<Record<string, never>, { limit: number; cursor?: string }>({
      method: 'GET',
      path: '/jobs',
      operationId: 'listJobs',
      summary: 'Jobs, newest first',
      tag: 'jobs',
      role: 'viewer',
      query: parameters({ limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: { description: 'A page of jobs.', schema: ref('jobs', 'JobPage') } },
      async handle({ query }) {
        const before = query.cursor ? (decodeCursor(query.cursor, ['string'])[0] as string) : undefined;
        const rows = await s.jobs.list(before, query.limit);
        const page = toPage(rows, query.limit, (j) => j, (j) => [j._id]);
        return { body: { items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor } };
      },
    }),

    defineRoute<{ jobId: string }>({
      method: 'GET',
      path: '/jobs/{jobId}',
      operationId: 'getJob',
      summary: 'A job with live task counts',
      tag: 'jobs',
      role: 'viewer',
      params: jobIdParams,
      responses: { 200: jobResponse('The job.'), 404: NOT_FOUND },
      async handle({ params }) {
        return { body: await view(await load(params.jobId)) };
      },
    }),

    defineRoute<{ jobId: string }, { status?: TaskStatus; limit: number; cursor?: string }>({
      method: 'GET',
      path: '/jobs/{jobId}/tasks',
      operationId: 'listJobTasks',
      summary: "A job's per-device results",
      description:
        'One task per device and RPC, for the devices the job has released: a device not released yet has no task until it is released. ' +
        "The job's `tasks` counts include those devices: as pending while the job may still release them, as cancelled once the job is cancelled, " +
        'as expired once its expiry passed (it then releases no further device). A cancellation stores the tasks of the next devices in line as cancelled (never released), ' +
        'so that a release under way at that moment cannot hand them out; they are listed, with `released: false`.',
      tag: 'jobs',
      role: 'viewer',
      params: jobIdParams,
      query: parameters({ status: ref('tasks', 'TaskStatus'), limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: { description: 'A page of the job\'s tasks.', schema: ref('tasks', 'TaskPage') }, 404: NOT_FOUND },
      async handle({ params, query }) {
        await load(params.jobId);
        return { body: await listTasks(s, taskFilter({ jobId: params.jobId, status: query.status }), query) };
      },
    }),

    ...(['pause', 'resume'] as const).map((verb) =>
      defineRoute<{ jobId: string }>({
        method: 'POST',
        path: `/jobs/{jobId}/${verb}`,
        operationId: `${verb}Job`,
        summary: verb === 'pause' ? 'Stop releasing further devices' : 'Release devices again',
        tag: 'jobs',
        role: 'operator',
        audit: `job.${verb}`,
        params: jobIdParams,
        responses: { 200: jobResponse(verb === 'pause' ? 'Paused.' : 'Running again.'), 404: NOT_FOUND, 409: CONFLICT },
        async handle({ params }) {
          const job = await s.jobs.setPaused(params.jobId, verb === 'pause');
          if (!job) {
            const current = await load(params.jobId);
            throw conflict(`job ${params.jobId} is ${current.state}${current.paused ? ' and paused' : ''}; it cannot be ${verb === 'pause' ? 'paused' : 'resumed'}`);
          }
          // A job paused while releasing has no tick queued any more: queue one.
          if (verb === 'resume' && job.state === 'releasing') await s.queues.release(job._id, job.release.position, Date.now(), true);
          return { body: await view(job) };
        },
      }),
    ),

    defineRoute<{ jobId: string }>({
      method: 'POST',
      path: '/jobs/{jobId}/cancel',
      operationId: 'cancelJob',
      summary: 'Stop the job and cancel its pending tasks (tasks already sent finish)',
      tag: 'jobs',
      role: 'operator',
      audit: 'job.cancel',
      params: jobIdParams,
      responses: { 200: jobResponse('Cancelling.'), 404: NOT_FOUND, 409: CONFLICT },
      async handle({ params }) {
        const job = await s.jobs.transition(params.jobId, ['planning', 'releasing', 'released'], 'cancelling');
        if (!job) {
          const current = await load(params.jobId);
          throw conflict(`job ${params.jobId} is ${current.state}; it cannot be cancelled`);
        }
        try {
          await s.queues.cancel(job._id);
        } catch (err) {
          s.log.warn({ event: 'job.cancel_not_queued', jobId: job._id, err: (err as Error).message }, 'cancellation not queued; the reconciler will run it');
        }
        return { body: await view(job) };
      },
    }),
  ];
};

/** 400 naming the first wave that does not make sense (the schema checked each one's shape). */
function checkJobWaves(waves: Wave[]): void {
  const [problem] = checkWaves(waves);
  if (problem) throw invalidField('body', problem.field, problem.message);
}

/** What POST /jobs and its preview refuse about a target. */
async function checkTarget(s: ApiServices, body: Pick<JobCreate, 'target' | 'scan'>): Promise<void> {
  if (body.target.filter) {
    const unindexed = unindexedFields(body.target.filter);
    if (unindexed.length && !body.scan) {
      throw invalidField('body', `target.filter.${unindexed[0]}`, 'has no index and would read every device; set "scan": true to do that anyway');
    }
  }
  if (body.target.deviceIds) await requireDevices(s, body.target.deviceIds);
}

/** 422 naming every listed device that does not exist (the first 20); read a thousand ids at a time. */
async function requireDevices(s: ApiServices, ids: string[]): Promise<void> {
  const missing: Array<{ id: string; i: number }> = [];
  for (let start = 0; start < ids.length; start += 1000) {
    const batch = ids.slice(start, start + 1000);
    const found = await s.devices.existing(batch);
    batch.forEach((id, k) => {
      if (!found.has(id)) missing.push({ id, i: start + k });
    });
  }
  if (!missing.length) return;
  const errors = missing.slice(0, 20).map((m) => ({ in: 'body' as const, field: `target.deviceIds.${m.i}`, pointer: `/target/deviceIds/${m.i}`, message: `device ${m.id} does not exist` }));
  throw new ProblemError(422, 'unknown-devices', `${missing.length} listed device(s) do not exist, e.g. ${missing[0].id} (target.deviceIds.${missing[0].i})`, errors);
}
