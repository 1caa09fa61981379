import { Counter } from 'prom-client';
import { registry } from '../../metrics';

/** Provisioning's own metrics, on the process's registry (served at /metrics). */
export const provisioningMetrics = {
  plans: new Counter({
    name: 'acs_provisioning_plans_total',
    help: 'Sessions in which a device was not up to date, by what it needed (config: its desired parameters, firmware: an upgrade step)',
    labelNames: ['part', 'bootstrap'] as const,
    registers: [registry],
  }),
  outcomes: new Counter({
    name: 'acs_provisioning_outcomes_total',
    help: 'Revisions applied in full or refused by devices',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  firmware: new Counter({
    name: 'acs_firmware_upgrades_total',
    help: 'Firmware upgrade steps by result (queued, done, fault)',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
};
