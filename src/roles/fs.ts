import { createFsApp } from '../files';
import { ClientCertificates } from '../http/client-certificates';
import { RetailInit } from '../provisioning';
import type { Services, Stores } from './compose';
import type { AppContext } from './context';
import { listen, type RunningRole } from './http';

/** What the fs role works with, from the process's root (roles/compose.ts). */
export interface FsDeps extends Pick<AppContext, 'config' | 'log' | 'ready'> {
  stores: Pick<Stores, 'files' | 'devices' | 'transfers' | 'accounts' | 'audit'>;
  services: Pick<Services, 'signer' | 'phoneService'>;
}

/** The file service: signed downloads for Download RPCs, and the phones' own resync and report channel. */
export async function startFs(ctx: FsDeps): Promise<RunningRole> {
  const { config, stores } = ctx;
  const log = ctx.log.child({ role: 'fs' });
  const service = await ctx.services.phoneService;
  const retail = new RetailInit({
    accounts: stores.accounts,
    macs: service.macs,
    renderer: service.renderer,
    audit: stores.audit,
    throttle: service.throttle,
    publicFsUrl: config.publicFsUrl,
    log,
  });
  const fs = createFsApp({
    files: stores.files,
    signer: ctx.services.signer,
    desired: service.desired,
    devices: stores.devices,
    phones: service.phones,
    retail,
    phoneProfiles: service.phoneProfiles,
    renderer: service.renderer,
    transfers: stores.transfers,
    log,
    ready: ctx.ready,
    maxReportBytes: config.fs.maxReportBytes,
    certificateRequired: !!config.fs.tls?.clientCaFile,
    certificates: config.fs.tls?.clientCaFile ? new ClientCertificates({ role: 'fs', caSetting: 'ACS_FS_TLS_CLIENT_CA', revokedSerials: config.tls.revokedSerials, log }) : undefined,
  });
  const running = await listen('fs', fs.app, {
    host: config.bindAddress,
    port: config.fsPort,
    tls: config.fs.tls,
    crlFile: config.tls.crlFile,
    watch: { log, warnDays: config.tls.expiryWarnDays },
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      // Handlers whose client already left may still be writing; their log entries count too
      // (the transfer log is flushed when the process's stores close, after this).
      await fs.idle(5000);
    },
  };
}
