/**
 * How a processor's failure becomes a BullMQ outcome. Retryable errors are thrown back to BullMQ (retried with
 * the hub backoff, honouring `retryAfterMs`); non-retryable ones become `UnrecoverableError` so the job ends
 * failed, with `Tag: message` as its reason, for ops to inspect and retry by hand.
 *
 * Defects (thrown exceptions, bugs) are retried by default: in this hub they mostly come from the environment (a
 * driver throwing on a dropped connection, a timeout surfacing as an exception), every job is idempotent, so a
 * retry is harmless, and attempts are bounded, so a real bug still ends in the failed set with its cause as the
 * reason. A worker can choose `defects: "fail"` instead.
 *
 * @since 0.1.0
 */
import { UnrecoverableError } from "bullmq"
import { Cause, Option } from "effect"
import { RetryableJobError } from "./Backoff.ts"
import { isRetryability, reasonOf } from "./Retryability.ts"

/**
 * What to do with a failed run of a job.
 *
 * @category models
 * @since 0.1.0
 */
export type Verdict =
  | { readonly _tag: "Retry"; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly _tag: "Fail"; readonly reason: string }

/**
 * What a defect (an unexpected exception) means for the job.
 *
 * @category models
 * @since 0.1.0
 */
export type DefectPolicy = "retry" | "fail"

const firstLine = (text: string): string => text.split("\n", 1)[0] ?? text

const defectReason = (defect: unknown): string =>
  defect instanceof Error ? `Defect: ${defect.name}: ${defect.message}` : `Defect: ${firstLine(String(defect))}`

/**
 * The verdict on a processor's failure cause. A typed failure decides by its own `retryable` flag (a failure
 * without the {@link Retryability} shape counts as a defect); an interruption that nobody asked for is retried.
 *
 * @category computations
 * @since 0.1.0
 */
export const verdictOf = <E>(cause: Cause.Cause<E>, defects: DefectPolicy = "retry"): Verdict => {
  const error = Cause.findErrorOption(cause)
  if (Option.isSome(error)) {
    const failure = error.value
    if (isRetryability(failure)) {
      return failure.retryable
        ? { _tag: "Retry", reason: reasonOf(failure), retryAfterMs: failure.retryAfterMs }
        : { _tag: "Fail", reason: reasonOf(failure) }
    }
    const reason = defectReason(failure)
    return defects === "retry" ? { _tag: "Retry", reason, retryAfterMs: undefined } : { _tag: "Fail", reason }
  }
  if (Cause.hasDies(cause)) {
    const found = Cause.findDefect(cause)
    const reason = defectReason(found._tag === "Success" ? found.success : Cause.squash(cause))
    return defects === "retry" ? { _tag: "Retry", reason, retryAfterMs: undefined } : { _tag: "Fail", reason }
  }
  return { _tag: "Retry", reason: "Interrupted: the job's program was interrupted", retryAfterMs: undefined }
}

/**
 * The error to throw to BullMQ for a verdict.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toBullError = (verdict: Verdict): Error =>
  verdict._tag === "Retry"
    ? new RetryableJobError(verdict.reason, verdict.retryAfterMs)
    : new UnrecoverableError(verdict.reason)
