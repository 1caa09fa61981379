/**
 * XML element names from Web-UI field labels (001 L675-681; 003 L664-676): every space and
 * each of `[ ] ( ) /` becomes `_`; a field repeated on numbered tabs (Ext 1, Ext 2, ...) gets
 * `_n_` appended, which is the `[n]` of the guides' prose after the same substitution.
 */
export function webNameToXmlName(webName: string, index?: number): string {
  const base = webName.replace(/[ [\]()/]/g, '_');
  return index === undefined ? base : `${base}_${index}_`;
}

/** Legacy plain-text names (`SIP_TOS/DiffServ_Value[1]`) use the same substitution. */
export function legacyNameToXmlName(legacyName: string): string {
  return legacyName.replace(/[ [\]()/]/g, '_');
}

const INDEXED = /^(.*)_(\d+)_$/;

/** `User_ID_3_` -> { template: `User_ID_{n}_`, index: 3 }; undefined for unindexed names. */
export function splitIndexed(name: string): { template: string; index: number } | undefined {
  const m = INDEXED.exec(name);
  if (!m) return undefined;
  return { template: `${m[1]}_{n}_`, index: Number(m[2]) };
}

/** Replaces `{n}` in a name or TR-069 path template. */
export function instantiate(template: string, index: number): string {
  return template.split('{n}').join(String(index));
}
