/** A malformed rule, condition or version; `position` is the 0-based offset in the rule text. */
export class RuleSyntaxError extends Error {
  override name = 'RuleSyntaxError';
  constructor(
    readonly position: number,
    readonly expected: string,
  ) {
    super(`at character ${position + 1}: ${expected}`);
  }
}

/** A condition that parsed but cannot be evaluated (operands of incompatible kinds). */
export class RuleEvaluationError extends Error {
  override name = 'RuleEvaluationError';
}
