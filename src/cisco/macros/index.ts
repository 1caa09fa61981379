/**
 * Cisco MPP macro expansion: `$MA`, `$(MAU:4)`, `$$`, GPP registers, `$SA`..`$SD` inside
 * credentials.
 *
 *   const ctx = macroContext({ mac: '000e08012345', gpp: { A: 'ABCDEF' } });
 *   expandMacros('$(MAU)config.cfg', ctx)            // '000E08012345config.cfg'
 *   expandMacros('$SA', ctx, { credentials: true })   // GPP_SA, only for --key/--uid/--pwd
 */
export { expandMacros, macroReferences, type ExpandOptions } from './expand';
export {
  macroContext,
  productSeriesOf,
  MacroError,
  type DeviceMacros,
  type MacroContext,
  type GppLetter,
  type SecretGpp,
} from './context';
