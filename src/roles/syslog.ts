import { syslogCollector } from '../syslog/collector';
import { startSyslogListener, type SyslogListener } from '../syslog/listener';
import type { Stores } from './compose';
import type { AppContext } from './context';
import type { RunningRole } from './http';

/** With port 0 the TCP port is chosen first; UDP may find that number taken: try again. */
const FREE_PORT_ATTEMPTS = 5;

/** What the syslog role works with, from the process's root (roles/compose.ts). */
export interface SyslogDeps extends Pick<AppContext, 'config' | 'log'> {
  stores: Pick<Stores, 'macs' | 'syslogEvents'>;
}

/** The syslog collector: the phones' provisioning messages as per-device events (S24). */
export async function startSyslog(ctx: SyslogDeps): Promise<RunningRole & { listener: SyslogListener }> {
  const { config } = ctx;
  const log = ctx.log.child({ role: 'syslog' });
  // A phone logs two messages per resync: its MAC is looked up from the directory's memory.
  const onMessage = syslogCollector({ macs: ctx.stores.macs, events: ctx.stores.syslogEvents, log });
  const options = { host: config.bindAddress, port: config.syslog.port, maxMessageBytes: config.syslog.maxMessageBytes, ratePerSecond: config.syslog.ratePerSecond, log, onMessage };
  let listener: SyslogListener | undefined;
  for (let attempt = 1; !listener; attempt++) {
    try {
      listener = await startSyslogListener(options);
    } catch (err) {
      if (config.syslog.port !== 0 || attempt >= FREE_PORT_ATTEMPTS || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  const host = config.bindAddress.includes(':') ? `[${config.bindAddress}]` : config.bindAddress;
  log.info({ port: listener.port }, 'syslog listening (UDP and TCP)');
  return { name: 'syslog', url: `syslog://${host}:${listener.port}`, listener, close: () => listener.close() };
}
