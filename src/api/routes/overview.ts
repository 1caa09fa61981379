import { defineRoute, type RouteModule } from '../route';
import { ref } from '../schemas';
import type { JobState } from '../../jobs/types';

const RUNNING_JOB_STATES: readonly JobState[] = ['planning', 'releasing', 'released', 'cancelling'];

const ranked = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));

/**
 * The console's first page. Device figures come from counters the sessions keep in Redis
 * (console/fleet-stats.ts), so the answer costs a few Redis reads and two counts in MongoDB
 * (faults and jobs, by a top-level string field) however many devices there are. Every ten
 * minutes one caller also starts a background comparison with MongoDB's device count, which
 * no answer waits for: each says when the counters were last found right.
 */
export const overviewRoutes: RouteModule = (s) => [
  defineRoute({
    method: 'GET',
    path: '/overview',
    operationId: 'getOverview',
    summary: 'The fleet at a glance: devices seen, product classes, software versions, faults, jobs',
    tag: 'overview',
    role: 'viewer',
    responses: { 200: { description: 'The overview.', schema: ref('overview', 'Overview') } },
    async handle() {
      const now = new Date();
      // Not awaited: the answer is the counters as they are, and says when they were last checked.
      const rebuildFailed = (err: unknown) => s.log.error({ event: 'overview.rebuild_failed', err }, 'could not rebuild the fleet counters');
      s.fleet.checkInBackground(s.devices, rebuildFailed).catch(rebuildFailed);
      const [counts, openFaults, jobsRunning] = await Promise.all([
        s.fleet.read(now.getTime()),
        s.tasks.countOpenFaults(),
        s.jobs.countInStates(RUNNING_JOB_STATES),
      ]);
      const countersComplete = counts.checkedAt !== null && !counts.checking;
      const total = counts.total;
      return {
        body: {
          at: now.toISOString(),
          devices: {
            total,
            seenLastHour: counts.seenLastHour,
            seenLastDay: counts.seenLastDay,
            neverSeenAfterBootstrap: counts.bootstrapOnly,
            byProductClass: ranked(counts.byProductClass),
            bySoftwareVersion: ranked(counts.bySoftwareVersion),
          },
          openFaults,
          jobsRunning,
          countersComplete,
          countersCheckedAt: counts.checkedAt?.toISOString() ?? null,
        },
      };
    },
  }),
];
