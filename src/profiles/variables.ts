/**
 * Per-device variables in profile values: `${name}` is replaced by the device's value of
 * `name` (line credentials, extension numbers), on the ACS, before anything else. Cisco's own
 * macros (`$MA`, `$(SN)`) never take this form (the guides leave `${NAME}` literal), so the two
 * cannot be confused. Pure.
 */

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;
export const MAX_VARIABLE_LENGTH = 1024;

/** Variable names a value refers to, in order, without duplicates. */
export function variableReferences(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => m[1]))];
}

export function hasVariables(text: string): boolean {
  return text.includes('${') && variableReferences(text).length > 0;
}

/** The value with every variable replaced; `missing` names the ones the device has no value for (left as written). */
export function expandVariables(text: string, variables: Readonly<Record<string, string>>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (whole, name: string) => {
    if (Object.hasOwn(variables, name)) return variables[name];
    if (!missing.includes(name)) missing.push(name);
    return whole;
  });
  return { value, missing };
}

/** Problems of a set of variables as an operator gives them (names, values), empty when fine. */
export function checkVariables(variables: Record<string, unknown>, field = 'variables'): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) problems.push(`${field}.${name.slice(0, 70)}: a variable name is a letter or _ then letters, digits or _ (at most 64)`);
    else if (typeof value !== 'string') problems.push(`${field}.${name}: the value must be a string`);
    else if (value.length > MAX_VARIABLE_LENGTH) problems.push(`${field}.${name}: longer than ${MAX_VARIABLE_LENGTH} characters`);
    else if (/[\x00-\x1f\x7f]/.test(value)) problems.push(`${field}.${name}: control characters are not allowed`);
  }
  return problems;
}
