import { AccountStore } from '../accounts';
import { AuditLog } from '../audit';
import { DeviceRepository } from '../devices/repository';
import { createFsApp, FileStore, TransferLog, UrlSigner } from '../files';
import { ClientCertificates } from '../http/client-certificates';
import { RetailInit } from '../provisioning';
import type { AppContext } from './context';
import { listen, type RunningRole } from './http';
import { startPhoneService } from './phone-service';

/** The file service: signed downloads for Download RPCs, and the phones' own resync and report channel. */
export async function startFs(ctx: AppContext): Promise<RunningRole> {
  const { config, db } = ctx;
  const log = ctx.log.child({ role: 'fs' });
  const service = await startPhoneService(ctx, log);
  const transfers = new TransferLog(db, log);
  const retail = new RetailInit({
    accounts: new AccountStore(db),
    macs: service.macs,
    renderer: service.renderer,
    audit: new AuditLog(db),
    throttle: service.throttle,
    publicFsUrl: config.publicFsUrl,
    log,
  });
  const fs = createFsApp({
    files: new FileStore(db, config.fs.maxFileBytes),
    signer: new UrlSigner(ctx.secret, config.publicFsUrl),
    desired: service.desired,
    devices: new DeviceRepository(db),
    phones: service.phones,
    retail,
    phoneProfiles: service.phoneProfiles,
    renderer: service.renderer,
    transfers,
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
  }).catch(async (err: unknown) => {
    await service.stop();
    throw err;
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      // Handlers whose client already left may still be writing; their log entries count too.
      await fs.idle(5000);
      await transfers.close();
      await service.stop();
    },
  };
}
