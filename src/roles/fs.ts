import { DeviceAuthenticator } from '../cwmp/auth/device-auth';
import { NonceIssuer } from '../cwmp/auth/digest';
import { AuthStore } from '../cwmp/session/store';
import { DeviceRepository } from '../devices/repository';
import { createFsApp, FileStore, TransferLog, UrlSigner } from '../files';
import { AccountStore } from '../accounts';
import { AuditLog } from '../audit';
import { desiredConfigSource, DeviceKeys, MacDirectory, PhoneChannel, PhoneProfiles, PhoneThrottle, PhoneTokens, ProfileRenderer, ReportStore, RetailInit } from '../provisioning';
import { ChangeMarker, ProvisioningSnapshot } from '../reconcile/snapshot';
import type { AppContext } from './context';
import { listen, type RunningRole } from './http';

/** MAC lookups the phones' channel may answer from memory (a moved MAC is re-checked against the device anyway). */
const MAC_CACHE_MS = 5000;

/** The file service: signed downloads for Download RPCs, and the phones' own resync and report channel. */
export async function startFs(ctx: AppContext): Promise<RunningRole> {
  const { config, db, redis } = ctx;
  const log = ctx.log.child({ role: 'fs' });
  // Profiles in memory, as the CWMP role keeps them: a resync is answered without reading them.
  const profiles = new ProvisioningSnapshot(db, new ChangeMarker(redis, config.redisPrefix), log);
  await profiles.start(config.provisioning.pollMs);
  const desired = desiredConfigSource(db, profiles);
  const renderer = new ProfileRenderer();
  const transfers = new TransferLog(db, log);
  // Credentials of a phone (its own, or its rule's --uid/--pwd): Digest always, Basic only over
  // TLS unless configured (001 L1760: phones answer either).
  const nonces = new NonceIssuer(ctx.secret, config.cwmp.nonceTtlSeconds * 1000);
  const authStore = new AuthStore(redis, config.redisPrefix);
  const phonesConfig = config.fs.phones;
  const authenticator = (auth: 'digest' | 'digest-or-basic') => new DeviceAuthenticator({ ...config.cwmp, auth, credential: undefined }, nonces, authStore);
  const tls = authenticator('digest-or-basic');
  const auth = { tls, plain: phonesConfig.basicOverHttp || phonesConfig.insecure ? tls : authenticator('digest') };
  const tokens = new PhoneTokens(ctx.secret, phonesConfig.tokenTtlSeconds);
  const phoneProfiles = new PhoneProfiles(tokens, new DeviceKeys(ctx.secret), config.publicFsUrl);
  if (phonesConfig.insecure) {
    log.warn(
      { event: 'fs.insecure_phone_channel' },
      'ACS_FS_INSECURE_PHONE_CHANNEL=true: the phone channel serves every profile with its secrets (SIP and ACS passwords, keys) to whoever names a MAC, without throttling. Labs only.',
    );
  }
  const macs = new MacDirectory(db, MAC_CACHE_MS);
  const throttle = new PhoneThrottle(redis, config.redisPrefix, { budget: phonesConfig.unprovenBudget, windowSeconds: phonesConfig.unprovenWindowSeconds });
  const phones = new PhoneChannel({
    db,
    macs,
    desired,
    reports: new ReportStore(db),
    auth,
    realm: config.cwmp.realm,
    maxReportBytes: config.fs.maxReportBytes,
    renderer,
    policy: { unproven: phonesConfig.unproven, insecure: phonesConfig.insecure },
    tokens,
    profiles: phoneProfiles,
    throttle,
    log,
  });
  const retail = new RetailInit({ accounts: new AccountStore(db), macs, renderer, audit: new AuditLog(db), throttle, publicFsUrl: config.publicFsUrl, log });
  const fs = createFsApp({
    files: new FileStore(db, config.fs.maxFileBytes),
    signer: new UrlSigner(ctx.secret, config.publicFsUrl),
    desired,
    devices: new DeviceRepository(db),
    phones,
    retail,
    phoneProfiles,
    renderer,
    transfers,
    log,
    ready: ctx.ready,
    maxReportBytes: config.fs.maxReportBytes,
    certificateRequired: !!config.fs.tls?.clientCaFile,
  });
  const running = await listen('fs', fs.app, { host: config.bindAddress, port: config.fsPort, tls: config.fs.tls }).catch(async (err: unknown) => {
    await profiles.stop();
    throw err;
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      // Handlers whose client already left may still be writing; their log entries count too.
      await fs.idle(5000);
      await transfers.close();
      await profiles.stop();
    },
  };
}
