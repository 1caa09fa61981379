import { RuleSyntaxError } from './errors';

/** Character-level reading of rule text with absolute positions for error messages. */
export class Scanner {
  pos: number;
  constructor(
    readonly text: string,
    readonly end = text.length,
    start = 0,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    this.skipSpace();
    return this.pos >= this.end;
  }

  peek(): string {
    return this.pos < this.end ? this.text[this.pos] : '';
  }

  skipSpace(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos])) this.pos++;
  }

  fail(expected: string, at = this.pos): never {
    throw new RuleSyntaxError(at, expected);
  }

  expect(ch: string, what: string): void {
    this.skipSpace();
    if (this.peek() !== ch) this.fail(`expected ${what}${this.found()}`);
    this.pos++;
  }

  /** ", found X" for the current character, or ", found end of rule". */
  found(): string {
    return this.pos >= this.end ? ', found end of rule' : `, found "${this.text[this.pos]}"`;
  }

  /** A double-quoted string starting at the current position; returns its content. */
  quoted(): string {
    const start = this.pos;
    const close = this.text.indexOf('"', start + 1);
    if (close < 0 || close >= this.end) this.fail('expected a closing " for the string', start);
    this.pos = close + 1;
    return this.text.slice(start + 1, close);
  }

  /** Offset of the bracket closing the one at the current position (quotes skipped). */
  matching(open: string, close: string): number {
    let depth = 0;
    for (let i = this.pos; i < this.end; i++) {
      const c = this.text[i];
      if (c === '"') {
        const q = this.text.indexOf('"', i + 1);
        if (q < 0 || q >= this.end) this.fail('expected a closing " for the string', i);
        i = q;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) return i;
    }
    return this.fail(`expected "${close}" to close "${open}" at character ${this.pos + 1}`, this.end);
  }

  /** Characters up to whitespace or one of `stops`. */
  word(stops: string): string {
    const start = this.pos;
    while (this.pos < this.end && !/\s/.test(this.text[this.pos]) && !stops.includes(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }
}
