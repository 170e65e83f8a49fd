/** A problem at one position of an annotation line; `resolveRules` turns it into a `RuleError`. */
export class RuleSyntaxError extends Error {
  readonly pos: number;
  /** What would have been valid here, e.g. `a field of Post, auth() or a literal`. */
  readonly expected: string;
  constructor(message: string, pos: number, expected: string) {
    super(message);
    this.name = 'RuleSyntaxError';
    this.pos = pos;
    this.expected = expected;
  }
}

/** Where a rule was written: the model (and field), the annotation and its line. */
export interface RuleLocation {
  model: string;
  field?: string;
  /** The annotation line, trimmed. */
  text: string;
  /** 1-based line within the `///` comment. */
  line: number;
  /** `prisma/schema.prisma:42` when the schema file was given to `resolveRules`. */
  file?: string;
}

export const ruleForm =
  'Expected form: /// @@allow("<operations>", <condition>) or /// @@deny(...) above a model, /// @allow("read|update", <condition>) above a field; ' +
  'operations: read, create, update, post-update, delete, all';

/**
 * A rule that does not parse or names something the datamodel lacks. Thrown at boot, never at
 * request time; the message shows the model, the annotation with a caret under the position,
 * what went wrong and the expected form.
 */
export class RuleError extends Error {
  readonly location: RuleLocation;
  readonly pos: number;
  readonly problem: string;
  readonly expected: string;
  constructor(location: RuleLocation, pos: number, problem: string, expected: string) {
    const where = `${location.model}${location.field ? `.${location.field}` : ''}`;
    const at = location.file ?? `line ${location.line} of the /// comment`;
    super(
      [
        `Invalid access rule on ${where} (${at}, column ${pos + 1}):`,
        `  ${location.text}`,
        `  ${' '.repeat(pos)}^`,
        `${problem}. Expected ${expected}.`,
        ruleForm,
      ].join('\n'),
    );
    this.name = 'RuleError';
    this.location = location;
    this.pos = pos;
    this.problem = problem;
    this.expected = expected;
  }
}
