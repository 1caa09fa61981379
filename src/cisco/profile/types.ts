import type { Ua } from '../catalogue';

/**
 * One parameter element of a `<flat-profile>`.
 *
 * `<X ua="rw"/>` (self-closing, `selfClosing: true`, value '') and `<X></X>` (value '') differ
 * in the guides (digest §2.4, §11.1 item 8): the open-and-close form always sets the empty
 * string, while the self-closing form is how profiles leave a user's value alone and only set
 * the access (001 L692-712), and how phone reports write empty values. Consumers decide which
 * reading applies; the codec keeps the two apart.
 */
export interface ProfileEntry {
  name: string;
  /** Trimmed, with newlines turned into spaces as the phone does (001 L791-792). */
  value: string;
  /** Absent: the phone keeps the current user access (001 L734). */
  ua?: Ua;
  selfClosing?: true;
}

export interface ParsedProfile {
  /** In document order of each name's last occurrence; the last duplicate wins (001 L778). */
  entries: ProfileEntry[];
  /** Names that occurred more than once. */
  duplicates: string[];
  /** Elements enclosing `<flat-profile>`, outermost first (`['device']`). */
  wrappers: string[];
}

export interface ParseLimits {
  /** Largest accepted document in bytes (UTF-8). Default 4 MiB. */
  maxBytes?: number;
  /** Deepest element nesting. Default 16. */
  maxDepth?: number;
  /** Most parameter elements. Default 20 000. */
  maxEntries?: number;
  /** Longest single value in characters. Default 65 536. */
  maxValueLength?: number;
}

export class ProfileParseError extends Error {
  override name = 'ProfileParseError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? message : `line ${line}, column ${column}: ${message}`);
  }
}

export class ProfileRenderError extends Error {
  override name = 'ProfileRenderError';
}
