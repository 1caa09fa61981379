import { DeviceAuthenticator } from '../cwmp/auth/device-auth';
import { NonceIssuer } from '../cwmp/auth/digest';
import { AuthStore } from '../cwmp/session/store';
import type { Logger } from '../log';
import { desiredConfigSource, DeviceKeys, MacDirectory, PhoneChannel, PhoneProfiles, PhoneThrottle, PhoneTokens, ProfileRenderer, ReportStore, type DesiredConfigSource } from '../provisioning';
import { withPartitionRules } from '../provisioning/render/partitions';
import { ChangeMarker, ProvisioningSnapshot } from '../provisioning/desired/snapshot';
import type { AppContext } from './context';

/** MAC lookups the phones' channel may answer from memory (a moved MAC is re-checked against the device anyway). */
const MAC_CACHE_MS = 5000;

export interface PhoneService {
  phones: PhoneChannel;
  macs: MacDirectory;
  throttle: PhoneThrottle;
  phoneProfiles: PhoneProfiles;
  desired: DesiredConfigSource;
  renderer: ProfileRenderer;
  stop(): Promise<void>;
}

/**
 * The phones' provisioning channel as every role serving phones builds it (fs over HTTP, tftp):
 * one set of access rules, throttles and renderings, whatever carries the request.
 */
export async function startPhoneService(ctx: AppContext, log: Logger): Promise<PhoneService> {
  const { config, db, redis } = ctx;
  // Profiles in memory, as the CWMP role keeps them: a resync is answered without reading them.
  const profiles = new ProvisioningSnapshot(db, new ChangeMarker(redis, config.redisPrefix), log);
  await profiles.start(config.provisioning.pollMs);
  // What phones are served carries the rules of their partitions (provisioning/render/partitions.ts), on every path.
  const effective = desiredConfigSource(db, profiles);
  const desired: DesiredConfigSource = {
    get: async (deviceId) => {
      const d = await effective.get(deviceId);
      return d && withPartitionRules(d, config.publicFsUrl);
    },
  };
  const renderer = new ProfileRenderer();
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
  return { phones, macs, throttle, phoneProfiles, desired, renderer, stop: () => profiles.stop() };
}
