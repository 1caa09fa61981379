import type { CwmpMessage, ParameterValueStruct } from '../soap/types';

export const REDACTED = '[redacted]';

/**
 * Parameter names whose values are secrets: passwords, keys, tokens, pre-shared keys,
 * credentials. Broad on purpose: a hidden ParameterKey costs nothing, a shown password does.
 */
const SECRET_NAME = /pass(w|phrase)|pwd|secret|key|token|psk|credential/i;

/** A message fit to keep in a trace: secret parameter values, transfer credentials and URL secrets replaced. */
export function redactMessage(msg: CwmpMessage): CwmpMessage {
  const m = msg as CwmpMessage & Record<string, unknown>;
  const out: Record<string, unknown> = { ...m };
  if (Array.isArray(m.parameterList) && m.parameterList.some(isValueStruct)) {
    out.parameterList = (m.parameterList as ParameterValueStruct[]).map((p) => (isValueStruct(p) && SECRET_NAME.test(p.name) ? { ...p, value: REDACTED } : p));
  }
  for (const field of ['username', 'password'] as const) if (typeof m[field] === 'string' && m[field]) out[field] = REDACTED;
  for (const field of ['url', 'successURL', 'failureURL'] as const) if (typeof m[field] === 'string') out[field] = redactUrl(m[field] as string);
  return out as unknown as CwmpMessage;
}

/**
 * A URL without what makes it a credential: user info, and the query (the fs role's signed
 * URLs carry their signature there; whoever holds one may fetch the device's profile).
 */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, `$1${REDACTED}@`).replace(/\?.*$/s, `?${REDACTED}`);
}

function isValueStruct(p: unknown): p is ParameterValueStruct {
  return !!p && typeof p === 'object' && typeof (p as ParameterValueStruct).name === 'string' && 'value' in (p as object);
}
