import type { Dialect } from './condition';

/**
 * Which rule dialect a device speaks, from its product class. The Small Business guide's
 * devices (SPA, PAP, WRP, WIP: 003 L105-130) compare legacy versions (`2.0.6`, `1.0.31(b)`) and
 * accept its legacy shorthands (`! 1.0.33`, 003 L1063-1096); MPP phones (CP-xxxx-3PCC) know
 * only their own load names, to which `11.0.0` is a format error (001 L935-956).
 */
const LEGACY_FAMILY = /^(SPA|PAP|WRP|WIP)/i;

/** Legacy when every product class given is a Small Business device; MPP otherwise (and when none is given). */
export function dialectFor(productClasses: readonly string[] | undefined): Dialect {
  return productClasses?.length && productClasses.every((pc) => LEGACY_FAMILY.test(pc)) ? 'legacy' : 'mpp';
}
