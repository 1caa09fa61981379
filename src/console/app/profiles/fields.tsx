import type { ReactNode } from 'react';

/** The API's messages for one field, where the field's aria-describedby points. */
export function Errors({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <span className="error field-error" id={id}>
      {messages.join('; ')}
    </span>
  );
}

/** Attributes of an input whose field may carry errors (and a hint). */
export function described(errorId: string, messages: readonly string[] | undefined, hintId?: string) {
  const ids = [messages?.length ? errorId : '', hintId ?? ''].filter(Boolean).join(' ');
  return { 'aria-invalid': messages?.length ? true : undefined, ...(ids ? { 'aria-describedby': ids } : {}) };
}

export function Field({ label, id, errors, hint, children }: { label: string; id: string; errors?: readonly string[]; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <Errors id={`${id}-error`} messages={errors} />
    </div>
  );
}
