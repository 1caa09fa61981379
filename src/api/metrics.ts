import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '../metrics';

export const apiMetrics = {
  requests: new Counter({
    name: 'acs_api_requests_total',
    help: 'Operator API requests by operation and HTTP status',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  }),
  seconds: new Histogram({
    name: 'acs_api_request_duration_seconds',
    help: 'Operator API request duration by operation',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  eventStreams: new Gauge({
    name: 'acs_api_event_streams',
    help: 'Live event streams (GET /api/v1/events) open in this process',
    registers: [registry],
  }),
};
