/** Text for where a desired value comes from, and how a drift entry reads. */
export type ValueSource = { kind: 'profile'; profile: string; revision: number; precedence: number } | { kind: 'device' };

export function sourceLabel(source: ValueSource): string {
  return source.kind === 'device' ? 'this device' : `profile ${source.profile} r${source.revision} (precedence ${source.precedence})`;
}

/** Secrets are never shown; the API marks them and leaves the value out. */
export function shownValue(entry: { value?: string; secret?: true }): string {
  return entry.secret ? '(secret)' : (entry.value ?? '');
}
