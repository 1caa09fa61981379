import { FirmwarePolicyError, rolloutState, waveSize, type FirmwarePolicyDoc, type FirmwarePolicyInput } from '../../firmware';
import { notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { CONFLICT, NOT_FOUND } from './common';

function asFirmwareProblem(err: unknown): unknown {
  if (err instanceof FirmwarePolicyError) {
    const kind = err.status === 404 ? 'not-found' : err.status === 409 ? 'conflict' : err.status === 422 ? 'invalid-policy' : 'invalid-request';
    return new ProblemError(err.status, kind, err.message, err.problems.length ? err.problems.map(({ field, message }) => ({ in: 'body' as const, field, message })) : undefined);
  }
  return err;
}

export function policyView(p: FirmwarePolicyDoc): Record<string, unknown> {
  const state = rolloutState(p.state, p.rollout.waves.length);
  return {
    productClass: p._id,
    revision: p.revision,
    target: p.target,
    stages: p.stages,
    ...(p.floor !== undefined ? { floor: p.floor } : {}),
    allowDowngrade: p.allowDowngrade,
    windows: p.windows,
    utcOffsetMinutes: p.utcOffsetMinutes,
    files: p.files,
    rollout: {
      status: state.status,
      ...(state.reason ? { reason: state.reason } : {}),
      wave: state.wave,
      population: state.population,
      faultThreshold: p.rollout.faultThreshold,
      minResults: p.rollout.minResults,
      soakSeconds: p.rollout.soakSeconds,
      waves: p.rollout.waves.map((w, i) => {
        const size = waveSize(p.rollout.waves, state.population, i);
        return { ...w, size: Number.isFinite(size) ? size : null, ...state.progress[i] };
      }),
    },
    updatedAt: p.updatedAt,
    ...(p.updatedBy ? { updatedBy: p.updatedBy } : {}),
  };
}

/** Firmware policies per product class and their staged rollouts. */
export const firmwareRoutes: RouteModule = (s) => {
  const { firmware: store, versions: history } = s;
  const pcParams = parameters({ productClass: ref('files', 'ProductClass') }, ['productClass']);
  const policyResponse = { description: 'The policy and its rollout.', schema: ref('firmware', 'FirmwarePolicy') };
  const guarded = async (work: () => Promise<FirmwarePolicyDoc>): Promise<{ body: Record<string, unknown> }> => {
    try {
      return { body: policyView(await work()) };
    } catch (err) {
      throw asFirmwareProblem(err);
    }
  };
  const action = (verb: 'pause' | 'resume' | 'abort' | 'advance', summary: string, run: (pc: string, body: { retryFailed?: boolean }) => Promise<FirmwarePolicyDoc>) =>
    defineRoute<{ productClass: string }, Record<string, never>, { retryFailed?: boolean }>({
      method: 'POST',
      path: `/firmware/policies/{productClass}/${verb}`,
      operationId: `${verb}FirmwareRollout`,
      summary,
      tag: 'firmware',
      role: 'operator',
      audit: `firmware.rollout.${verb}`,
      params: pcParams,
      ...(verb === 'resume' ? { body: { schema: ref('firmware', 'RolloutResume'), required: false } } : {}),
      responses: { 200: policyResponse, 404: NOT_FOUND, 409: CONFLICT },
      handle: ({ params, body }) => guarded(() => run(params.productClass, body ?? {})),
    });

  return [
    defineRoute<Record<string, never>>({
      method: 'GET',
      path: '/firmware/policies',
      operationId: 'listFirmwarePolicies',
      summary: 'Firmware policies of every product class',
      tag: 'firmware',
      role: 'viewer',
      responses: { 200: { description: 'The policies.', schema: ref('firmware', 'FirmwarePolicyList') } },
      async handle() {
        return { body: { items: (await store.list()).map(policyView) } };
      },
    }),

    defineRoute<{ productClass: string }>({
      method: 'GET',
      path: '/firmware/policies/{productClass}',
      operationId: 'getFirmwarePolicy',
      summary: "A product class's firmware policy and where its rollout stands",
      tag: 'firmware',
      role: 'viewer',
      params: pcParams,
      responses: { 200: policyResponse, 404: NOT_FOUND },
      async handle({ params }) {
        const p = await store.get(params.productClass);
        if (!p) throw notFound(`firmware policy of ${params.productClass}`);
        return { body: policyView(p) };
      },
    }),

    defineRoute<{ productClass: string }, Record<string, never>, FirmwarePolicyInput>({
      method: 'PUT',
      path: '/firmware/policies/{productClass}',
      operationId: 'setFirmwarePolicy',
      summary: "Set a product class's firmware policy (starts a new rollout)",
      description:
        'The target and every stage need an uploaded firmware file of that version for the product class. Devices below a stage install it first; none installs below the floor; devices above the target are downgraded only with allowDowngrade. Downloads start only inside the maintenance windows. Waves are cumulative (10 %, then up to 50 %, ...); a wave whose fault rate exceeds faultThreshold (after minResults results) pauses the rollout.',
      tag: 'firmware',
      role: 'admin',
      audit: 'firmware.policy.set',
      params: pcParams,
      body: { schema: ref('firmware', 'FirmwarePolicyInput') },
      responses: { 200: policyResponse, 422: { description: 'Refused: a version that does not parse or compare, a missing firmware file, bad windows or waves.' } },
      handle: ({ params, body, actor }) => guarded(() => store.put(params.productClass, body, actor.name)),
    }),

    defineRoute<{ productClass: string }>({
      method: 'DELETE',
      path: '/firmware/policies/{productClass}',
      operationId: 'deleteFirmwarePolicy',
      summary: "Drop a product class's firmware policy (no more upgrades are started)",
      tag: 'firmware',
      role: 'admin',
      audit: 'firmware.policy.delete',
      params: pcParams,
      responses: { 204: { description: 'Dropped.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await store.remove(params.productClass))) throw notFound(`firmware policy of ${params.productClass}`);
        return {};
      },
    }),

    defineRoute<Record<string, never>, { productClass?: string; since?: string }>({
      method: 'GET',
      path: '/firmware/version-history',
      operationId: 'getVersionHistory',
      summary: 'Devices per product class and software version over time (the worker\'s periodic snapshots)',
      description: 'One point per ACS_VERSION_SNAPSHOT_INTERVAL at most, oldest first, at most 1000 (the most recent of the range). Taken by the worker role; none without one.',
      tag: 'firmware',
      role: 'viewer',
      query: parameters({
        productClass: { ...ref('files', 'ProductClass'), description: 'only this product class\'s counts' },
        since: { type: 'string', format: 'date-time', description: 'from this time on (default: 30 days ago)' },
      }),
      responses: { 200: { description: 'The snapshots.', schema: ref('firmware', 'VersionHistory') } },
      async handle({ query }) {
        const since = query.since ? new Date(query.since) : new Date(Date.now() - 30 * 86_400_000);
        const points = await history.history(since, query.productClass);
        return { body: { intervalSeconds: s.config.worker.versionSnapshotSeconds, points: points.map((p) => ({ at: p.at.toISOString(), counts: p.counts })) } };
      },
    }),

    action('pause', 'Pause the rollout: no device starts an upgrade', (pc) => store.pause(pc)),
    action('resume', 'Resume a paused rollout (the paused wave starts its count afresh)', (pc, body) => store.resume(pc, { retryFailed: body.retryFailed })),
    action('abort', 'Abort the rollout for good (set the policy again to start a new one)', (pc) => store.abort(pc)),
    action('advance', 'Open the next wave now', (pc) => store.advance(pc)),
  ];
};
