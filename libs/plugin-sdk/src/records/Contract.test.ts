import { CalendarDate, Money } from "@hub/domain"
import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as RecordType from "../RecordType.ts"
import * as RowMapping from "../RowMapping.ts"
import * as Contract from "./Contract.ts"

const contracts = RecordType.get("contract")

const wire = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  contractId: "LCBS-C-2011-5LE-RJ1",
  commissionerCode: "5LE",
  providerCode: "RJ1",
  providerName: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
  financialYear: "2011/12",
  contractType: "acute",
  startDate: "2011-04-01",
  endDate: "2012-03-31",
  annualValue: "48211350.00",
  status: "active",
  ...overrides
})

const fieldsOf = (outcome: RowMapping.RowOutcome<Contract.Contract>): ReadonlyArray<string> =>
  Result.isFailure(outcome) ? outcome.failure.map((p) => p.field).sort() : []

describe("Contract", () => {
  it("decodes a contract with its annual value in exact pence", () => {
    const outcome = contracts.decode(wire())
    if (Result.isFailure(outcome)) throw new Error(JSON.stringify(outcome.failure))
    expect(outcome.success.annualValue).toBe(4_821_135_000)
    expect(outcome.success.contractType).toBe("acute")
    expect(contracts.naturalKey(outcome.success)).toBe("LCBS-C-2011-5LE-RJ1")
  })

  it("an open-ended contract without a provider name is still a contract", () => {
    const { endDate: _e, providerName: _n, ...rest } = wire()
    expect(Result.isSuccess(contracts.decode(rest))).toBe(true)
  })

  it("names every bad field of a contract", () => {
    const outcome = contracts.decode(wire({ annualValue: "n/a", providerCode: undefined, contractType: "dental", status: "draft", startDate: "2011-02-30" }))
    expect(fieldsOf(outcome)).toEqual(["annualValue", "contractType", "providerCode", "startDate", "status"])
  })

  it("a contract ending before it starts is refused at endDate", () => {
    const outcome = contracts.decode(wire({ startDate: "2011-04-01", endDate: "2011-03-31" }))
    expect(fieldsOf(outcome)).toEqual(["endDate"])
    expect(Result.isFailure(outcome) && outcome.failure[0].reason).toMatch(/2011-04-01/u)
  })

  it("a term decodes exactly when it does not end before it starts", () => {
    const day = fc.integer({ min: 14_000, max: 20_000 }).map(CalendarDate.fromEpochDay)
    fc.assert(
      fc.property(day, day, (start, end) => {
        const outcome = contracts.decode(wire({ startDate: start, endDate: end }))
        expect(Result.isSuccess(outcome)).toBe(end >= start)
      })
    )
  })

  it("the annual value survives the wire exactly, to the penny", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), (pence) => {
        const outcome = contracts.decode(wire({ annualValue: Money.toPoundsString(Money.pence(pence)) }))
        expect(Result.isSuccess(outcome) && outcome.success.annualValue).toBe(pence)
      })
    )
  })

  it("contracts with different ids have different natural keys, whatever characters the ids hold", () => {
    const id = fc.string({ unit: fc.constantFrom("a", "|", "\\", "1"), minLength: 1 })
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b)
        const decode = (contractId: string) => contracts.decode(wire({ contractId: `C${contractId}` }))
        const [x, y] = [decode(a), decode(b)]
        if (Result.isFailure(x) || Result.isFailure(y)) throw new Error("a contract did not decode")
        expect(Contract.naturalKey(x.success)).not.toBe(Contract.naturalKey(y.success))
      })
    )
  })
})
