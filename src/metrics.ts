import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process, served at GET /metrics on ACS_METRICS_PORT (roles/metrics.ts). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'acs_' });

export const metrics = {
  cwmpRequests: new Counter({
    name: 'acs_cwmp_requests_total',
    help: 'CWMP HTTP requests by kind (inform, empty, cpe_request, response, fault, rejected)',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  cwmpSessions: new Counter({
    name: 'acs_cwmp_sessions_total',
    help: 'CWMP sessions by how they ended (completed, refused, busy)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  cwmpSessionSeconds: new Histogram({
    name: 'acs_cwmp_session_duration_seconds',
    help: 'Duration of completed CWMP sessions, Inform to 204',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }),
  cwmpRpcs: new Counter({
    name: 'acs_cwmp_rpcs_total',
    help: 'ACS requests answered by devices, by method and outcome (done, fault, awaiting)',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  }),
  cwmpAuthFailures: new Counter({
    name: 'acs_cwmp_auth_failures_total',
    help: 'Failed device logins, and requests refused because their source failed too often',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
  cwmpInflightRequests: new Gauge({
    name: 'acs_cwmp_inflight_requests',
    help: 'CWMP requests being processed by this process',
    registers: [registry],
  }),
  fsRequests: new Counter({
    name: 'acs_fs_requests_total',
    help: 'File service requests by resource (file, profile, report, unknown) and HTTP status',
    labelNames: ['resource', 'status'] as const,
    registers: [registry],
  }),
  fsBytes: new Counter({
    name: 'acs_fs_bytes_total',
    help: 'Body bytes the file service sent (download) or received (upload)',
    labelNames: ['direction'] as const,
    registers: [registry],
  }),
  fsPhoneUnproven: new Counter({
    name: 'acs_fs_phone_unproven_total',
    help: 'Phone-channel requests that proved no identity, by outcome (unknown_device, redacted, challenged, bad_proof, throttled)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  fsLogDropped: new Counter({
    name: 'acs_fs_log_dropped_total',
    help: 'Transfer log entries lost because MongoDB did not keep up or failed',
    registers: [registry],
  }),
  tlsCertificateDaysLeft: new Gauge({
    name: 'acs_tls_certificate_days_left',
    help: 'Whole days until the end of each certificate a role serves (use=server) or trusts for client certificates (use=client-ca); negative once expired',
    labelNames: ['role', 'use', 'subject', 'serial'] as const,
    registers: [registry],
  }),
  mongoRequests: new Counter({
    name: 'acs_mongo_requests_total',
    help: 'Requests the ACS sent to MongoDB (each command or getMore; not the driver\'s own monitoring)',
    registers: [registry],
  }),
  mongoCommands: new Counter({
    name: 'acs_mongo_commands_total',
    help: 'MongoDB commands sent, by command name (only with ACS_MONGO_COMMAND_METRICS=true)',
    labelNames: ['command'] as const,
    registers: [registry],
  }),
};
