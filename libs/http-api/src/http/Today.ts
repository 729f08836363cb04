/**
 * Today's date, read from Effect's Clock at the edge (UTC), for questions asked without an explicit date. The
 * domain never reads a clock; tests provide a fixed one.
 *
 * @since 0.1.0
 */
import { CalendarDate } from "@hub/domain"
import { Clock, Context, Effect } from "effect"

const msPerDay = 86_400_000

/**
 * Today's calendar date in UTC.
 *
 * @category accessors
 * @since 0.1.0
 */
export const today: Effect.Effect<CalendarDate.CalendarDate> = Effect.map(Clock.currentTimeMillis, (ms) =>
  CalendarDate.fromEpochDay(Math.floor(ms / msPerDay))
)

/**
 * The given date, or today when absent.
 *
 * @category accessors
 * @since 0.1.0
 */
export const orToday = (date: CalendarDate.CalendarDate | undefined): Effect.Effect<CalendarDate.CalendarDate> =>
  date === undefined ? today : Effect.succeed(date)

/**
 * Today's calendar date in UTC by the clock among the services (the default clock when none is provided), read
 * synchronously: for pure reads that run over the runtime's services without a fiber.
 *
 * @category accessors
 * @since 0.1.0
 */
export const todayIn = <R>(services: Context.Context<R>): CalendarDate.CalendarDate =>
  CalendarDate.fromEpochDay(Math.floor(Context.getUnsafe(services, Clock.Clock).currentTimeMillisUnsafe() / msPerDay))
