import fc from "fast-check"
import { Option } from "effect"
import { describe, expect, it } from "vitest"
import * as QueueNames from "./QueueNames.ts"

const pluginIds = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(?:-[a-z0-9]{1,6}){0,3}$/)

describe("QueueNames", () => {
  it("names a plugin's queues by direction under the hub namespace", () => {
    expect(QueueNames.pull("london-cbs")).toBe("hub.london-cbs.pull")
    expect(QueueNames.push("nhs-england-returns")).toBe("hub.nhs-england-returns.push")
  })

  it("reads every queue name it makes back into its plugin and direction", () => {
    fc.assert(
      fc.property(pluginIds, fc.constantFrom("pull" as const, "push" as const), (pluginId, direction) => {
        const name = QueueNames.of(pluginId, direction)
        expect(name).not.toContain(":")
        expect(QueueNames.parse(name)).toEqual(Option.some({ pluginId, direction }))
      })
    )
  })

  it("refuses plugin ids that would break a queue name, naming the id", () => {
    expect(() => QueueNames.pull("london:cbs")).toThrow(/"london:cbs"/)
    expect(() => QueueNames.push("London CBS")).toThrow(/kebab case/)
    expect(() => QueueNames.pull("")).toThrow()
  })

  it("does not read other names as hub queues", () => {
    expect(QueueNames.parse("hub.london-cbs.sideways")).toEqual(Option.none())
    expect(QueueNames.parse("bull.london-cbs.pull")).toEqual(Option.none())
    expect(QueueNames.parse("hub.London.pull")).toEqual(Option.none())
  })

  it("uses a Redis Cluster hash tag as the default prefix", () => {
    expect(QueueNames.defaultPrefix).toMatch(/^\{[^{}]+\}$/)
    expect(QueueNames.clusterPrefix("hub-staging")).toBe("{hub-staging}")
  })
})
