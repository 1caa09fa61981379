import { ROLES } from '../../roles';
import { readPresence } from '../../roles/presence';
import { defineRoute, type RouteModule } from '../route';
import { ref } from '../schemas';

const MINUTE = 60_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The ACS's own health for the Administration page: which processes run which roles and
 * whether their stores answer, the BullMQ queue depths, and the device session rate.
 */
export const adminHealthRoutes: RouteModule = (s) => [
  defineRoute({
    method: 'GET',
    path: '/admin/health',
    operationId: 'getAdminHealth',
    summary: 'The ACS\'s own health: roles and their readiness, queue depths, session rate',
    description: 'Every process reports itself every 10 s (gone after 30 s without a report); a role is ready when at least one process runs it and that process\'s MongoDB and Redis answered. The session rate counts devices whose last Inform fell in the window.',
    tag: 'admin',
    role: 'admin',
    responses: { 200: { description: 'The health as of now.', schema: ref('admin', 'AdminHealth') } },
    async handle() {
      const now = Date.now();
      const [processes, queues, last5, last60] = await Promise.all([
        readPresence(s.redis, s.config.redisPrefix),
        Promise.all([s.queues.jobs, s.queues.wake, s.queues.housekeeping].map(async (q) => ({ name: q.name, counts: await q.getJobCounts(...QUEUE_STATES) }))),
        s.fleet.seenSince(now - 5 * MINUTE),
        s.fleet.seenSince(now - 60 * MINUTE),
      ]);
      const roles = Object.keys(ROLES).map((role) => {
        const running = processes.filter((p) => p.roles.includes(role));
        return { role, processes: running.length, ready: running.filter((p) => p.ready).length };
      });
      return {
        body: {
          at: new Date(now).toISOString(),
          roles,
          processes,
          queues: queues.map((q) => ({ name: q.name, ...Object.fromEntries(QUEUE_STATES.map((state) => [state, q.counts[state] ?? 0])) })),
          sessions: { last5Minutes: last5, lastHour: last60, perMinute: Math.round((last5 / 5) * 10) / 10 },
        },
      };
    },
  }),
];
