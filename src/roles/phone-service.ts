import type { Config } from '../config';
import { DeviceAuthenticator } from '../cwmp/auth/device-auth';
import type { NonceIssuer } from '../cwmp/auth/digest';
import type { Logger } from '../log';
import { DeviceKeys, PhoneChannel, PhoneProfiles, PhoneTokens, ProfileRenderer, type DesiredConfigSource, type MacDirectory, type PhoneThrottle } from '../provisioning';
import { withPartitionRules } from '../provisioning/render/partitions';
import type { Stores } from './compose';

export interface PhoneService {
  phones: PhoneChannel;
  macs: MacDirectory;
  throttle: PhoneThrottle;
  phoneProfiles: PhoneProfiles;
  desired: DesiredConfigSource;
  renderer: ProfileRenderer;
}

export interface PhoneServiceDeps {
  config: Config;
  log: Logger;
  secret: Buffer;
  /** the effective desired state, from the process's provisioning snapshot */
  effective: DesiredConfigSource;
  nonces: NonceIssuer;
  stores: Pick<Stores, 'devices' | 'macs' | 'reports' | 'throttle' | 'deviceAuth'>;
}

/**
 * The phones' provisioning channel, built once per process (roles/compose.ts) for every role
 * serving phones (fs over HTTP, tftp): one set of access rules, throttles and renderings,
 * whatever carries the request.
 */
export function buildPhoneService(d: PhoneServiceDeps): PhoneService {
  const { config, log, secret } = d;
  // What phones are served carries the rules of their partitions (provisioning/render/partitions.ts), on every path.
  const desired: DesiredConfigSource = {
    get: async (deviceId) => {
      const found = await d.effective.get(deviceId);
      return found && withPartitionRules(found, config.publicFsUrl);
    },
  };
  const renderer = new ProfileRenderer();
  // Credentials of a phone (its own, or its rule's --uid/--pwd): Digest always, Basic only over
  // TLS unless configured (001 L1760: phones answer either).
  const phonesConfig = config.fs.phones;
  const authenticator = (auth: 'digest' | 'digest-or-basic') => new DeviceAuthenticator({ ...config.cwmp, auth, credential: undefined }, d.nonces, d.stores.deviceAuth);
  const tls = authenticator('digest-or-basic');
  const auth = { tls, plain: phonesConfig.basicOverHttp || phonesConfig.insecure ? tls : authenticator('digest') };
  const tokens = new PhoneTokens(secret, phonesConfig.tokenTtlSeconds);
  const phoneProfiles = new PhoneProfiles(tokens, new DeviceKeys(secret), config.publicFsUrl);
  if (phonesConfig.insecure) {
    log.warn(
      { event: 'fs.insecure_phone_channel' },
      'ACS_FS_INSECURE_PHONE_CHANNEL=true: the phone channel serves every profile with its secrets (SIP and ACS passwords, keys) to whoever names a MAC, without throttling. Labs only.',
    );
  }
  const { macs, throttle } = d.stores;
  const phones = new PhoneChannel({
    devices: d.stores.devices,
    macs,
    desired,
    reports: d.stores.reports,
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
  return { phones, macs, throttle, phoneProfiles, desired, renderer };
}
