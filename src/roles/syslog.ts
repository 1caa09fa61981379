import { MacDirectory } from '../devices/mac-directory';
import { syslogCollector } from '../syslog/collector';
import { startSyslogListener, type SyslogListener } from '../syslog/listener';
import { SyslogEventStore } from '../syslog/store';
import type { AppContext } from './context';
import type { RunningRole } from './http';

/** MAC lookups answered from memory for this long (a phone logs two messages per resync). */
const MAC_CACHE_MS = 5000;
/** With port 0 the TCP port is chosen first; UDP may find that number taken: try again. */
const FREE_PORT_ATTEMPTS = 5;

/** The syslog collector: the phones' provisioning messages as per-device events (S24). */
export async function startSyslog(ctx: AppContext): Promise<RunningRole & { listener: SyslogListener }> {
  const { config, db } = ctx;
  const log = ctx.log.child({ role: 'syslog' });
  const onMessage = syslogCollector({ macs: new MacDirectory(db, MAC_CACHE_MS), events: new SyslogEventStore(db, config.syslog), log });
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
