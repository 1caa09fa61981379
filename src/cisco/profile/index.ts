/**
 * The Cisco XML flat-profile codec and its validation against the parameter catalogue.
 *
 *   const p = parseProfile(xml);                 // { entries, duplicates, wrappers }
 *   validateProfile(p.entries);                  // [{ name, code, message }]
 *   renderProfile(p.entries, { device: true });  // ASCII-only XML
 */
export { parseProfile, profileValues } from './parse';
export { renderProfile, renderValues, escapeText, type RenderOptions } from './render';
export { checkTogether, validateProfile, validateValue, xmlNameOf, type RenamedParameter, type ValidationIssue } from './validate';
export { AliasDocumentError, aliasRules, checkAliasMap, previewAlias, renderAliasDocument, type AliasPreview, type AliasedValue } from './alias';
export {
  ProfileParseError,
  ProfileRenderError,
  type ProfileEntry,
  type ParsedProfile,
  type ParseLimits,
} from './types';
