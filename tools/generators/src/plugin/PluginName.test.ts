import { Manifest } from "@hub/plugin-sdk"
import { Result, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as PluginName from "./PluginName.ts"

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/u)
const kebabName = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join("-"))
  .filter((name) => name.length <= PluginName.maxLength && !name.startsWith("plugin-") && PluginName.problem(name) === undefined)

describe("PluginName", () => {
  it("accepts lower-case kebab names and derives folder, package, identifiers and environment prefix", () => {
    expect(PluginName.problem("nhs-digital-finance")).toBeUndefined()
    expect(PluginName.derive("nhs-digital-finance")).toEqual({
      name: "nhs-digital-finance",
      directory: "plugins/nhs-digital-finance",
      packageName: "@hub/plugin-nhs-digital-finance",
      className: "NhsDigitalFinance",
      propertyName: "nhsDigitalFinance",
      constantName: "NHS_DIGITAL_FINANCE",
      title: "Nhs Digital Finance"
    })
  })

  it.each([
    ["", /required/u],
    ["NhsFinance", /lower-case words/u],
    ["nhs_finance", /lower-case words/u],
    ["nhs--finance", /lower-case words/u],
    ["-nhs", /lower-case words/u],
    ["nhs-", /lower-case words/u],
    ["1nhs", /starting with a letter/u],
    ["nhs finance", /lower-case words/u],
    ["plugin-nhs", /leave out the "plugin-" prefix/u],
    ["sdk", /reserved/u],
    ["a".repeat(41), /longer than 40/u]
  ])("refuses %j, saying why", (name, reason) => {
    expect(PluginName.problem(name)).toMatch(reason)
  })

  it("every accepted name is a valid manifest id and gives valid TypeScript identifiers", () => {
    const isSlug = Schema.is(Manifest.Slug)
    fc.assert(
      fc.property(kebabName, (name) => {
        const names = PluginName.derive(name)
        expect(isSlug(names.name)).toBe(true)
        expect(names.className).toMatch(/^[A-Z][A-Za-z0-9]*$/u)
        expect(names.propertyName).toMatch(/^[a-z][A-Za-z0-9]*$/u)
        expect(names.constantName).toMatch(/^[A-Z][A-Z0-9_]*$/u)
        expect(names.packageName).toBe(`@hub/plugin-${name}`)
      })
    )
  })

  it("refuses every name the manifest would refuse as an id", () => {
    const validate = (id: string) => Manifest.validate({
      id, version: "0.1.0", displayName: "x", externalSystem: "x", description: "", streams: [], pushes: [], configuration: [], hosts: []
    })
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (name) => {
        if (Result.isFailure(validate(name))) expect(PluginName.problem(name)).toBeDefined()
      })
    )
  })
})
