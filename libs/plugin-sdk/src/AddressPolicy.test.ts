import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as AddressPolicy from "./AddressPolicy.ts"

const none = { allowLoopback: false, allowPrivate: false }

describe("AddressPolicy", () => {
  it.each([
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["169.254.169.254", "link-local"],
    ["127.0.0.1", "loopback"],
    ["127.10.20.30", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["0:0:0:0:0:ffff:192.168.0.1", "private"],
    ["64:ff9b::10.1.2.3", "private"],
    ["2002:a00:1::", "private"],
    ["[::1]", "loopback"],
    ["8.8.8.8", "public"],
    ["172.32.0.1", "public"],
    ["172.15.255.255", "public"],
    ["2a00:1450:4009:81f::200e", "public"],
    ["::ffff:8.8.8.8", "public"]
  ])("%s is %s", (address, kind) => {
    expect(AddressPolicy.classify(address)).toBe(kind)
  })

  it.each(["localhost", "10.0.0", "256.1.1.1", "1:2:3:4:5:6:7:8:9", "1::2::3", "::ffff:300.1.1.1", ""])(
    "%s is not an IP address",
    (text) => {
      expect(AddressPolicy.classify(text)).toBeUndefined()
    }
  )

  it("refuses loopback and private unless allowed, and link-local always", () => {
    expect(AddressPolicy.refusalReason("127.0.0.1", none)).toMatch(/loopback/u)
    expect(AddressPolicy.refusalReason("127.0.0.1", { ...none, allowLoopback: true })).toBeUndefined()
    expect(AddressPolicy.refusalReason("10.1.2.3", none)).toMatch(/private/u)
    expect(AddressPolicy.refusalReason("10.1.2.3", { ...none, allowPrivate: true })).toBeUndefined()
    expect(AddressPolicy.refusalReason("10.1.2.3", { ...none, allowLoopback: true })).toMatch(/private/u)
    expect(AddressPolicy.refusalReason("169.254.169.254", { allowLoopback: true, allowPrivate: true })).toMatch(/link-local/u)
    expect(AddressPolicy.refusalReason("8.8.4.4", none)).toBeUndefined()
  })

  it("an IPv4 address and its ::ffff:-mapped IPv6 form are classified alike", () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(AddressPolicy.classify(`::ffff:${v4}`)).toBe(AddressPolicy.classify(v4))
        const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number]
        const hex = `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
        expect(AddressPolicy.classify(hex)).toBe(AddressPolicy.classify(v4))
      })
    )
  })

  it("every address in 10/8 is private", () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), ([b, c, d]) => {
        expect(AddressPolicy.classify(`10.${b}.${c}.${d}`)).toBe("private")
      })
    )
  })

  it("host patterns match exact names and subdomain wildcards only", () => {
    expect(AddressPolicy.hostMatches("finance.manchester.gov.uk", "*.gov.uk")).toBe(true)
    expect(AddressPolicy.hostMatches("FINANCE.Manchester.gov.uk", "finance.manchester.gov.uk")).toBe(true)
    expect(AddressPolicy.hostMatches("gov.uk", "*.gov.uk")).toBe(false)
    expect(AddressPolicy.hostMatches("evilgov.uk", "*.gov.uk")).toBe(false)
    expect(AddressPolicy.hostMatches("gov.uk.evil.com", "*.gov.uk")).toBe(false)
    expect(AddressPolicy.hostMatches("[::1]", "::1")).toBe(true)
  })
})
