import { SearchIndex } from '../devices/search-index';
import { ConsoleFeed } from '../console/feed';
import { DeviceAuthenticator } from '../cwmp/auth/device-auth';
import { NonceIssuer } from '../cwmp/auth/digest';
import { createCwmpApp } from '../cwmp/http/app';
import { SessionEngine } from '../cwmp/session/engine';
import type { Reconciler } from '../cwmp/session/reconciler';
import { AuthStore } from '../cwmp/session/store';
import { InflightSweeper } from '../cwmp/session/sweeper';
import { SessionTraceRecorder, SessionTraceStore, WatchedSessionStore } from '../cwmp/trace';
import { MacDirectory } from '../devices/mac-directory';
import { DeviceRepository } from '../devices/repository';
import { ClientCertificates } from '../http/client-certificates';
import { ProxiedPeers } from '../http/proxy-protocol';
import { startProvisioning, type Provisioning } from '../provisioning';
import { TaskRepository } from '../tasks/repository';
import type { AppContext } from './context';
import { listen, type RunningRole } from './http';

export interface CwmpRoleOptions {
  /** what brings devices to their desired state (default: profiles and firmware policies, provisioning/) */
  reconciler?: Reconciler;
}

/** The CWMP endpoint devices talk to, with the sweeper that recovers tasks of dead sessions. */
export async function startCwmp(ctx: AppContext, options: CwmpRoleOptions = {}): Promise<RunningRole> {
  const provisioning = options.reconciler ? undefined : await startProvisioning(ctx);
  try {
    return await serveCwmp(ctx, options.reconciler ?? provisioning!.reconciler, provisioning);
  } catch (err) {
    await provisioning?.close();
    throw err;
  }
}

async function serveCwmp(ctx: AppContext, reconciler: Reconciler, provisioning: Provisioning | undefined): Promise<RunningRole> {
  const { config, log, db, redis } = ctx;
  const cwmp = config.cwmp;
  const ttlMs = cwmp.sessionTimeoutSeconds * 1000;
  const sessions = new WatchedSessionStore(redis, config.redisPrefix, ttlMs);
  const tasks = new TaskRepository(db);
  const feed = new ConsoleFeed(redis, config.redisPrefix);
  const traces = new SessionTraceStore(db, config.trace, log, (doc) => {
    feed.sessionRecorded({ deviceId: doc.deviceId, sessionId: String(doc.seq), at: new Date() }).catch((err: unknown) => log.warn({ event: 'console.publish_failed', err: (err as Error).message }, 'live event not published'));
  });
  const trace = new SessionTraceRecorder({ store: traces, sessions, log: log.child({ role: 'cwmp' }) });
  sessions.watchWith(trace);
  const engine = new SessionEngine({
    config: cwmp,
    devices: new DeviceRepository(db),
    tasks,
    sessions,
    auth: new DeviceAuthenticator(cwmp, new NonceIssuer(ctx.secret, cwmp.nonceTtlSeconds * 1000), new AuthStore(redis, config.redisPrefix)),
    log: log.child({ role: 'cwmp' }),
    reconciler,
    macs: new MacDirectory(db),
    trace,
    observer: feed,
    search: new SearchIndex(db),
  });
  if (cwmp.auth === 'basic' && !cwmp.tls) log.warn({ event: 'cwmp.basic_over_http' }, 'devices send passwords in clear: Basic auth without TLS');
  if (cwmp.auth !== 'none' && !cwmp.credential) {
    log.warn({ event: 'cwmp.no_global_credential' }, 'no ACS_CWMP_USERNAME/ACS_CWMP_PASSWORD: only devices with their own credential can open sessions');
  }
  const peers = cwmp.proxyProtocol
    ? new ProxiedPeers({
        trusted: cwmp.trustedProxies,
        timeoutMs: cwmp.headersTimeoutMs,
        onInvalid: (peer, reason) => log.warn({ event: 'cwmp.bad_proxy_header', peer, reason }, 'connection closed: bad PROXY protocol header'),
      })
    : undefined;
  const certificates = cwmp.tls?.clientCaFile
    ? new ClientCertificates({ role: 'cwmp', caSetting: 'ACS_CWMP_TLS_CLIENT_CA', revokedSerials: config.tls.revokedSerials, log: log.child({ role: 'cwmp' }) })
    : undefined;
  const app = createCwmpApp({ engine, config: cwmp, log, ready: ctx.ready, secure: !!cwmp.tls, proxiedPeer: peers?.sourceOf, certificates });
  const running = await listen('cwmp', app, {
    host: config.bindAddress,
    port: config.cwmpPort,
    tls: cwmp.tls,
    crlFile: config.tls.crlFile,
    watch: { log: log.child({ role: 'cwmp' }), warnDays: config.tls.expiryWarnDays },
    keepAliveMs: ttlMs,
    headersTimeoutMs: cwmp.headersTimeoutMs,
    requestTimeoutMs: cwmp.requestTimeoutMs,
    prepare: peers && ((server) => peers.install(server)),
  });
  const sweeper = new InflightSweeper(sessions, tasks, log);
  sweeper.start(Math.max(1000, ttlMs / 3));
  return {
    ...running,
    close: async () => {
      sweeper.stop();
      await running.close();
      trace.close();
      await traces.flush();
      await provisioning?.close();
    },
  };
}
