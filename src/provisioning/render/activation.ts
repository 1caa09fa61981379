import { validateProfile, type ProfileEntry } from '../../cisco/profile';

/**
 * Activation-code onboarding (001 L477-508; 002 L294-320; S25): the profile whose
 * `Profile_Rule` is `gds://` makes the phone show the activation-code screen; older firmware is
 * told to upgrade to a load that has the feature first. `User_Password` (4 to 127 characters,
 * or empty for no password) lets a phone configured by DHCP or EDOS skip the Set password
 * screen (001 L567-597). Pure.
 */

/** "The Cisco IP Phone 6861 Multiplatform Phones don't support the onboard activation code." (001 L482) */
const UNSUPPORTED = /^CP-6861(?![0-9])/i;

export interface ActivationRequest {
  productClass: string;
  /** Upgrade_Rule: a load with the feature (11-2-3MSR1 or later) */
  upgradeRule?: string;
  /** Upgrade_Error_Retry_Delay (seconds; the guide's example: 3600) */
  upgradeErrorRetryDelay?: number;
  /** User_Password: 4..127 characters, '' for no password; absent: the phone asks for one */
  userPassword?: string;
}

export class ActivationError extends Error {
  constructor(
    message: string,
    /** the field at fault, for the API's problem document */
    readonly field: string,
  ) {
    super(message);
  }
}

export function supportsActivationCode(productClass: string): boolean {
  return !UNSUPPORTED.test(productClass);
}

/** The guide's activation profile as entries, in its order; throws ActivationError naming what is refused. */
export function activationEntries(request: ActivationRequest): ProfileEntry[] {
  if (!supportsActivationCode(request.productClass)) {
    throw new ActivationError(`${request.productClass} does not support activation-code onboarding (001 L482)`, 'productClass');
  }
  const entries: ProfileEntry[] = [{ name: 'Profile_Rule', value: 'gds://', ua: 'na' }];
  if (request.upgradeRule !== undefined) {
    entries.push(
      { name: 'Upgrade_Enable', value: 'yes', ua: 'na' },
      { name: 'Upgrade_Error_Retry_Delay', value: String(request.upgradeErrorRetryDelay ?? 3600), ua: 'na' },
      { name: 'Upgrade_Rule', value: request.upgradeRule, ua: 'na' },
    );
  }
  if (request.userPassword !== undefined) entries.push({ name: 'User_Password', value: request.userPassword, ua: 'rw' });
  const issues = validateProfile(entries);
  if (issues.length) {
    const fields: Record<string, string> = { Upgrade_Rule: 'upgradeRule', Upgrade_Error_Retry_Delay: 'upgradeErrorRetryDelay', User_Password: 'userPassword' };
    throw new ActivationError(issues[0].message, fields[issues[0].name] ?? issues[0].name);
  }
  return entries;
}
