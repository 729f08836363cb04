/**
 * The gateway's limits as environment variables, described once with Effect's Config so that every process
 * serving the gateway reads the same settings the same way: apps/gateway (its own process) and the embedded
 * gateway of the one-command start (apps/worker). This module only describes them; the apps read them at their
 * edge.
 *
 * @since 0.1.0
 */
import { Config, ConfigProvider, Effect } from "effect"
import { defaultLimits, type Limits } from "./App.ts"

/**
 * Each limit's environment variable, by the limit it sets.
 *
 * @category constants
 * @since 0.1.0
 */
export const variables: { readonly [K in keyof Limits]: string } = {
  bodyBytes: "GATEWAY_BODY_LIMIT_BYTES",
  rateCapacity: "GATEWAY_RATE_LIMIT_BURST",
  ratePerSecond: "GATEWAY_RATE_LIMIT_PER_SECOND",
  authCacheTtlMs: "GATEWAY_AUTH_CACHE_TTL_MS",
  sessionTtlMs: "GATEWAY_SESSION_TTL_MS"
}

/** A whole number above zero, or the default when unset; anything else fails naming the variable. */
const positiveInt = (name: string, fallback: number): Config.Config<number> =>
  Config.Int(name).pipe(
    Config.withDefault(fallback),
    Config.mapEffect((n) =>
      n > 0
        ? Effect.succeed(n)
        : Effect.fail(new Config.ConfigError(new ConfigProvider.SourceError({ message: `${name} must be a positive whole number, got ${n}` })))
    )
  )

/**
 * The limits, each from its variable (see {@link variables}) or its default (`App.defaultLimits`).
 *
 * @category config
 * @since 0.1.0
 */
export const config: Config.Config<Limits> = Config.all({
  bodyBytes: positiveInt(variables.bodyBytes, defaultLimits.bodyBytes),
  rateCapacity: positiveInt(variables.rateCapacity, defaultLimits.rateCapacity),
  ratePerSecond: positiveInt(variables.ratePerSecond, defaultLimits.ratePerSecond),
  authCacheTtlMs: positiveInt(variables.authCacheTtlMs, defaultLimits.authCacheTtlMs),
  sessionTtlMs: positiveInt(variables.sessionTtlMs, defaultLimits.sessionTtlMs)
})
