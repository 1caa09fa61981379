import { LRUCache } from 'lru-cache';
import type { DesiredConfig } from '../stores/desired';
import { DEVICE_KEY_PARAMETER, type DeviceKeys } from './device-keys';
import { hasSecrets, withoutSecrets } from './profile-secrets';
import { hostKey, rulesPointHere, secureEntries } from './rules';
import type { PhoneTokens } from './token';
import type { ProfileVariant } from '../render/render';

/**
 * What goes out of a device's desired entries, by what the requester proved. Shared by every
 * path that serves profiles (the /cisco/ channel, the signed Download URL, a TFTP role later).
 */
export class PhoneProfiles {
  private readonly publicHost?: string;
  /** what a desired revision holds (secrets, rules pointing here): read once per revision, not per resync */
  private readonly facts = new LRUCache<string, boolean>({ max: 50_000 });

  constructor(
    private readonly tokens: PhoneTokens,
    private readonly keys: DeviceKeys,
    /** ACS_PUBLIC_FS_URL */
    publicFsUrl: string,
  ) {
    try {
      const u = new URL(publicFsUrl);
      if (u.protocol === 'http:' || u.protocol === 'https:') this.publicHost = hostKey(u.hostname, u.port ? Number(u.port) : undefined, u.protocol === 'https:' ? 'https' : 'http');
    } catch {
      this.publicHost = undefined;
    }
  }

  /** The device's own key, when its delivery asks for one (an operator's GPP_SD wins). */
  deviceKey(deviceId: string, desired: DesiredConfig): string | undefined {
    if (!desired.delivery.deviceKey) return undefined;
    return desired.entries.find((e) => e.name === DEVICE_KEY_PARAMETER && !e.selfClosing)?.value || this.keys.keyFor(deviceId);
  }

  /** Whether the profile holds a secret a phone must prove itself for. */
  holdsSecrets(deviceId: string, desired: DesiredConfig): boolean {
    return desired.delivery.deviceKey || this.memo(`s\n${deviceId}\n${desired.revision}`, () => hasSecrets(desired.entries));
  }

  /**
   * For a requester that proved it is the phone: its rules pointing back here carry a fresh
   * token (and `--key $SD` with the device key). `requestHost` is the Host the phone used.
   */
  proven(deviceId: string, desired: DesiredConfig, requestHost: { host?: string; secure: boolean }): ProfileVariant | undefined {
    const ownHosts = [this.publicHost, requestHostKey(requestHost)].filter((h): h is string => h !== undefined);
    if (!this.memo(`r\n${deviceId}\n${desired.revision}\n${ownHosts.join(',')}`, () => rulesPointHere(desired.entries, ownHosts))) return undefined;
    const deviceKey = this.deviceKey(deviceId, desired);
    const token = this.tokens.issue(deviceId, { deviceKey: deviceKey !== undefined });
    return {
      name: `proven\n${token}\n${ownHosts.join(',')}`,
      entries: (entries) => secureEntries(entries, { ownHosts, token, ...(deviceKey !== undefined ? { deviceKey } : {}) }),
    };
  }

  /** For a requester that proved nothing. */
  readonly redacted: ProfileVariant = { name: 'redacted', entries: withoutSecrets };

  private memo(key: string, compute: () => boolean): boolean {
    let v = this.facts.get(key);
    if (v === undefined) {
      v = compute();
      this.facts.set(key, v);
    }
    return v;
  }
}

function requestHostKey(r: { host?: string; secure: boolean }): string | undefined {
  if (!r.host) return undefined;
  try {
    const u = new URL(`${r.secure ? 'https' : 'http'}://${r.host}`);
    return hostKey(u.hostname, u.port ? Number(u.port) : undefined, r.secure ? 'https' : 'http');
  } catch {
    return undefined;
  }
}
