import { Counter } from 'prom-client';
import { registry } from '../metrics';

export const workerMetrics = {
  connectionRequests: new Counter({
    name: 'acs_connection_requests_total',
    help: 'Connection requests by outcome (woke, unreachable, auth_refused, retry, no_url)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  jobSteps: new Counter({
    name: 'acs_job_steps_total',
    help: 'Bulk-job steps run by the worker (plan, release, cancel) and how they ended',
    labelNames: ['step', 'result'] as const,
    registers: [registry],
  }),
};
