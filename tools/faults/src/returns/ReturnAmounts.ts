/**
 * The amounts of a financial return in pence, per column, as the outbox holds them and as the NHS England returns
 * simulator recorded them: the push faults check source = target with these.
 *
 * @since 0.1.0
 */
import { Money } from "@hub/domain"
import type * as ReturnsSimulator from "./ReturnsSimulator.ts"

/**
 * Totals of one return, per column.
 *
 * @category models
 * @since 0.1.0
 */
export interface Totals {
  readonly plan: number
  readonly actual: number
  readonly forecast: number
}

/** Pence of an amount as the outbox payload stores it (a pounds string such as "431064000.00"). */
const pence = (amount: unknown): number => Money.parsePounds(String(amount)) ?? Number.NaN

/**
 * Pence of the lines of a canonical return payload (the outbox's), per column.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ofPayload = (payload: unknown): Totals => {
  const lines = (payload as { readonly lines: ReadonlyArray<{ readonly plan: unknown; readonly actualToDate: unknown; readonly forecastOutturn: unknown }> }).lines
  // `+ 0` turns a -0 into 0: the amounts are compared with Object.is.
  return {
    plan: lines.reduce((s, l) => s + pence(l.plan), 0) + 0,
    actual: lines.reduce((s, l) => s + pence(l.actualToDate), 0) + 0,
    forecast: lines.reduce((s, l) => s + pence(l.forecastOutturn), 0) + 0
  }
}

/**
 * Pence of the lines of a request body as the simulator recorded it, per column.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ofBody = (body: ReturnsSimulator.Applied["body"]): Totals => ({
  plan: body.lines.reduce((s, l) => s + pence(l.plan), 0) + 0,
  actual: body.lines.reduce((s, l) => s + pence(l.actualYearToDate), 0) + 0,
  forecast: body.lines.reduce((s, l) => s + pence(l.forecastOutturn), 0) + 0
})
