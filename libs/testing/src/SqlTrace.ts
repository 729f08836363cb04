/**
 * What SQL an Effect program ran, read from the spans `effect/sql` records: for tests that pin how many
 * statements and transactions a repository or use case costs.
 *
 * @since 0.1.0
 */
import { Effect, Tracer } from "effect"

/**
 * A program's result with the text of every SQL statement it ran and the number of transactions it opened.
 *
 * @category models
 * @since 0.1.0
 */
export interface Counted<A> {
  readonly result: A
  readonly statements: ReadonlyArray<string>
  readonly transactions: number
}

/**
 * Runs `effect` with a recording tracer and reports the statements (`db.query.text` span attributes) and the
 * transactions (`sql.transaction` spans) it ran.
 *
 * @category combinators
 * @since 0.1.0
 */
export const counted = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Counted<A>, E, R> =>
  Effect.gen(function*() {
    const spans: Array<Tracer.NativeSpan> = []
    const recording = Tracer.make({
      span: (options) => {
        const span = new Tracer.NativeSpan(options)
        spans.push(span)
        return span
      }
    })
    const result = yield* effect.pipe(Effect.withTracer(recording))
    const statements = spans.flatMap((span) => {
      const text = span.attributes.get("db.query.text")
      return typeof text === "string" ? [text] : []
    })
    return { result, statements, transactions: spans.filter((span) => span.name === "sql.transaction").length }
  })
