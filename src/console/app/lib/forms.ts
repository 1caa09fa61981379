/**
 * An API refusal spread over a form: each message next to the input it names, the rest at the
 * top. `inputOf` maps the API's dotted field (`waves.1.percent`, `filename`) to the form's
 * input name, or undefined when the form has no such input.
 */
export interface FieldProblemLike {
  in?: string;
  field?: string;
  message?: string;
}

export interface FormErrors {
  /** input name -> what is wrong with it */
  fields: Record<string, string>;
  /** what belongs to no input */
  general: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, general: [] };

export function formErrors(message: string, problems: readonly FieldProblemLike[], inputOf: (field: string) => string | undefined): FormErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const p of problems) {
    const input = p.field ? inputOf(p.field) : undefined;
    const text = p.message ?? 'is invalid';
    if (input) fields[input] = fields[input] ? `${fields[input]}; ${text}` : text;
    else general.push(p.field ? `${p.field}: ${text}` : text);
  }
  const marked = Object.keys(fields).length;
  if (!general.length) general.push(marked ? `Not saved: ${marked === 1 ? 'one field needs' : `${marked} fields need`} attention (marked below).` : message);
  return { fields, general };
}

/** The first segment of a dotted field: `windows.0.start` -> `windows`. */
export function topField(field: string): string {
  return field.split('.')[0]!;
}
