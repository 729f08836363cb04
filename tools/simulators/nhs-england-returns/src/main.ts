/**
 * Starts the NHS England returns simulator: `node --import tsx tools/simulators/nhs-england-returns/src/main.ts
 * --port 0 [--seed 1] [--process-after-ms 1000] [--today 2022-06-30] [--token TOKEN]`; prints
 * `listening on http://127.0.0.1:PORT` and serves until SIGTERM.
 *
 * @since 0.1.0
 */
import { Main } from "@hub/simulator-kit"
import { defaultTokens, makeNhsEnglandReturnsApp } from "./NhsEnglandReturnsApp.ts"

Main.run({
  name: "nhs-england-returns-simulator",
  extraOptions: ["process-after-ms", "today", "token"],
  makeApp: ({ seed, options }) => {
    const delay = options["process-after-ms"] ?? "1000"
    if (!/^\d+$/u.test(delay)) throw new Error(`--process-after-ms must be a whole number, got "${delay}"`)
    const token = options["token"]
    return makeNhsEnglandReturnsApp({
      seed,
      processAfterMs: Number(delay),
      ...(options["today"] === undefined ? {} : { today: options["today"] }),
      tokens: token === undefined ? defaultTokens : { ...defaultTokens, [token]: ["read", "submit"] }
    })
  }
})
