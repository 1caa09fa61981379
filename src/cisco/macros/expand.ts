/**
 * Macro expansion as the phone does it (001 L892-921, L2629-2678; 003 L1009-1047, L2355-2409).
 *
 * `$NAME` and `$(NAME)` are replaced by the variable's value; `$(NAME:p)` and `$(NAME:p:q)`
 * take the substring from 0-based offset p, q characters long. `$$` is a single `$`. Expansion
 * is not recursive. A name is the whole run of capitals and digits after `$`, so `$STRANGE`
 * (unknown) and `$NOTIFY` stay as written while `$MAU.cfg` and `$PN$MA` expand. Unknown names,
 * and known ones the context has no value for, remain unchanged (001 L2633). `${NAME}` is not
 * a form the guides define; it stays literal.
 *
 * GPP_SA..GPP_SD (`$SA`..`$SD`) expand only as arguments of --key, --uid and --pwd (001 L921);
 * callers pass `{ credentials: true }` there.
 */
import type { MacroContext } from './context';

const REF = /\$(\$|\(([A-Z0-9]+)(?::(\d+)(?::(\d+))?)?\)|[A-Z0-9]+)/g;
const SECRET_GPP = /^S[A-D]$/;

export interface ExpandOptions {
  /** The text is the argument of --key, --uid or --pwd: $SA..$SD expand too. */
  credentials?: boolean;
}

export function expandMacros(text: string, ctx: MacroContext, options: ExpandOptions = {}): string {
  return text.replace(REF, (whole: string, body: string, inner?: string, p?: string, q?: string) => {
    if (body === '$') return '$';
    const name = inner ?? body;
    if (SECRET_GPP.test(name) && !options.credentials) return whole;
    const value = ctx.get(name);
    if (value === undefined) return whole;
    if (p === undefined) return value;
    const from = Number(p);
    return q === undefined ? value.slice(from) : value.slice(from, from + Number(q));
  });
}

/** Names referenced by `$NAME` / `$(NAME...)` in the text, in order, without duplicates. */
export function macroReferences(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(REF)) if (m[1] !== '$') names.add(m[2] ?? m[1]);
  return [...names];
}
