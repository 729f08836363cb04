/**
 * The CLI's one expected failure: the user's input cannot be used (unknown command or option, missing file,
 * unreadable layout, bad value). It carries a one-line reason for standard error and makes the process exit 2.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Bad input, with the one-line reason shown to the user.
 *
 * @category errors
 * @since 0.1.0
 */
export class BadInput extends Schema.TaggedError<BadInput>()("BadInput", {
  reason: Schema.String
}) {
  override get message(): string {
    return this.reason
  }
}

/**
 * Makes a reason fit on one line (an error from a file may quote a value with a line break).
 *
 * @category constructors
 * @since 0.1.0
 */
export const oneLine = (reason: string): BadInput => new BadInput({ reason: reason.replace(/\s*[\r\n]+\s*/gu, " ") })
