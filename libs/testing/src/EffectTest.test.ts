import { Context, Effect, Layer, Ref } from "effect"
import { describe, expect, it } from "vitest"
import * as EffectTest from "./EffectTest.ts"

class Counter extends Context.Service<Counter, Ref.Ref<number>>()("test/Counter") {}
let builds = 0
const CounterLive = Layer.effect(Counter, Effect.sync(() => (builds += 1)).pipe(Effect.andThen(Ref.make(0))))

describe("EffectTest", () => {
  EffectTest.effect("runs an Effect as a test", () => Effect.sync(() => expect(1 + 1).toBe(2)))

  it("reports a typed failure with its pretty cause", async () => {
    await expect(EffectTest.runTest(Effect.fail({ _tag: "Boom", reason: "disk on fire" }))).rejects.toThrow(/disk on fire/)
  })

  it("runs finalizers of the test's scope", async () => {
    const closed: Array<string> = []
    await EffectTest.runTest(Effect.addFinalizer(() => Effect.sync(() => closed.push("closed"))))
    expect(closed).toEqual(["closed"])
  })

  const shared = EffectTest.layer(CounterLive)
  shared.effect("a shared layer is built once (first use)", () =>
    Effect.gen(function* () {
      const counter = yield* Counter
      yield* Ref.update(counter, (n) => n + 1)
    }))
  shared.effect("a shared layer is built once (second use sees the first's state)", () =>
    Effect.gen(function* () {
      const counter = yield* Counter
      expect(yield* Ref.get(counter)).toBe(1)
      expect(builds).toBe(1)
    }))
})
