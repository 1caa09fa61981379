const CISCO_LOAD = /^(sip[0-9a-z]+\.[\w.-]+?)(?:\.(?:loads|zip|bin|tar|tgz|sbn))?$/i;

/**
 * The SoftwareVersion a Cisco MPP load installs, read from its file name:
 * `sip88xx.12-0-2MPP-1.loads` -> `sip88xx.12-0-2MPP-1` (the form phones report, 001 L1581-1598).
 * Undefined for names that do not look like a Cisco load.
 */
export function versionOfLoadName(name: string): string | undefined {
  return CISCO_LOAD.exec(name)?.[1];
}
