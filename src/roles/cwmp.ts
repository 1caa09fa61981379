import { DeviceAuthenticator } from '../cwmp/auth/device-auth';
import { createCwmpApp } from '../cwmp/http/app';
import { SessionEngine } from '../cwmp/session/engine';
import type { Reconciler } from '../cwmp/session/reconciler';
import { InflightSweeper } from '../cwmp/session/sweeper';
import { ClientCertificates } from '../http/client-certificates';
import { ProxiedPeers } from '../http/proxy-protocol';
import type { Services, Stores } from './compose';
import type { AppContext } from './context';
import { listen, type RunningRole } from './http';

export interface CwmpRoleOptions {
  /** what brings devices to their desired state (default: profiles and firmware policies, provisioning/) */
  reconciler?: Reconciler;
}

/** What the cwmp role works with, from the process's root (roles/compose.ts). */
export interface CwmpDeps extends Pick<AppContext, 'config' | 'log' | 'ready'> {
  stores: Pick<Stores, 'devices' | 'tasks' | 'sessions' | 'deviceAuth' | 'macs' | 'search' | 'feed'>;
  services: Pick<Services, 'nonces' | 'traceRecorder' | 'provisioning'>;
}

/** The CWMP endpoint devices talk to, with the sweeper that recovers tasks of dead sessions. */
export async function startCwmp(ctx: CwmpDeps, options: CwmpRoleOptions = {}): Promise<RunningRole> {
  const { config, log, stores, services } = ctx;
  const cwmp = config.cwmp;
  const ttlMs = cwmp.sessionTimeoutSeconds * 1000;
  const reconciler = options.reconciler ?? (await services.provisioning).reconciler;
  const engine = new SessionEngine({
    config: cwmp,
    devices: stores.devices,
    tasks: stores.tasks,
    sessions: stores.sessions,
    auth: new DeviceAuthenticator(cwmp, services.nonces, stores.deviceAuth),
    log: log.child({ role: 'cwmp' }),
    reconciler,
    macs: stores.macs,
    trace: services.traceRecorder,
    observer: stores.feed,
    search: stores.search,
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
  const sweeper = new InflightSweeper(stores.sessions, stores.tasks, log);
  sweeper.start(Math.max(1000, ttlMs / 3));
  return {
    ...running,
    close: async () => {
      sweeper.stop();
      await running.close();
    },
  };
}
