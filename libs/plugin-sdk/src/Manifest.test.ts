import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Manifest from "./Manifest.ts"

const manifest = {
  id: "council-finance",
  version: "1.0.0",
  displayName: "Council finance",
  externalSystem: "Council finance systems",
  description: "",
  streams: [{ name: "spend", recordType: "council-spend-line", cursor: "row", description: "" }],
  pushes: [{ kind: "pooled-contributions", payloadType: "pooled-contribution", receiptType: "submission-acknowledgement", description: "" }],
  configuration: [{ name: "apiToken", description: "", secret: true, required: true }],
  hosts: ["*.gov.uk", "127.0.0.1"]
}

describe("Manifest", () => {
  it("accepts a complete manifest", () => {
    expect(Result.isSuccess(Manifest.validate(manifest))).toBe(true)
  })

  it("reports every problem at once", () => {
    const result = Manifest.validate({
      ...manifest,
      id: "Council Finance",
      version: "1.0",
      streams: [{ name: "spend", recordType: "spreadsheet", cursor: "row", description: "" }]
    })
    if (Result.isSuccess(result)) throw new Error("expected failure")
    expect(result.failure).toContain("id")
    expect(result.failure).toContain("version")
    expect(result.failure).toContain("recordType")
  })

  it("refuses duplicate stream names", () => {
    const result = Manifest.validate({ ...manifest, streams: [...manifest.streams, ...manifest.streams] })
    if (Result.isSuccess(result)) throw new Error("expected failure")
    expect(result.failure).toContain("duplicate stream")
  })

  it("refuses host patterns that are URLs", () => {
    expect(Result.isFailure(Manifest.validate({ ...manifest, hosts: ["https://x.gov.uk/"] }))).toBe(true)
  })
})
