/**
 * Which IP addresses a plugin's HTTP client may connect to. Pure classification of IPv4 and IPv6 text
 * (including `::ffff:`-mapped, IPv4-compatible, NAT64 and 6to4 forms that carry an IPv4 address inside), so the
 * client can refuse private, link-local and loopback targets before any connection is opened.
 *
 * @since 0.1.0
 */

/**
 * What an address is: `public` is the only kind always allowed; `loopback` and `private` need an explicit
 * allowance; `link-local`, `unspecified`, `multicast` and `reserved` are never contacted.
 *
 * @category models
 * @since 0.1.0
 */
export type AddressKind = "public" | "loopback" | "private" | "link-local" | "unspecified" | "multicast" | "reserved"

/**
 * What the client allows besides public addresses.
 *
 * @category models
 * @since 0.1.0
 */
export interface AddressAllowance {
  /** Allow 127.0.0.0/8 and ::1 (simulators in tests and demos). */
  readonly allowLoopback: boolean
  /** Allow 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7 (systems on a private network). */
  readonly allowPrivate: boolean
}

/**
 * Parses dotted-quad IPv4 text into its four octets, or `undefined`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseIpv4 = (text: string): readonly [number, number, number, number] | undefined => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/u.exec(text)
  if (m === null) return undefined
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const
  return octets.every((o) => o <= 255) ? octets : undefined
}

/**
 * Parses IPv6 text (with `::` compression, an optional zone `%eth0` and an optional trailing dotted IPv4) into
 * its eight 16-bit groups, or `undefined`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseIpv6 = (input: string): ReadonlyArray<number> | undefined => {
  let text = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input
  const zone = text.indexOf("%")
  if (zone >= 0) text = text.slice(0, zone)
  if (!text.includes(":")) return undefined
  // A trailing dotted IPv4 (`::ffff:10.0.0.1`) becomes its two hex groups (`::ffff:a00:1`).
  const lastColon = text.lastIndexOf(":")
  const last = text.slice(lastColon + 1)
  if (last.includes(".")) {
    const v4 = parseIpv4(last)
    if (v4 === undefined) return undefined
    text = `${text.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`
  }
  const halves = text.split("::")
  if (halves.length > 2) return undefined
  const parseGroups = (part: string): Array<number> | undefined => {
    if (part === "") return []
    const groups: Array<number> = []
    for (const g of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/u.test(g)) return undefined
      groups.push(parseInt(g, 16))
    }
    return groups
  }
  const head = parseGroups(halves[0] ?? "")
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? "") : []
  if (head === undefined || rest === undefined) return undefined
  const given = head.length + rest.length
  if (halves.length === 2) {
    if (given > 7) return undefined
    return [...head, ...new Array<number>(8 - given).fill(0), ...rest]
  }
  return given === 8 ? head : undefined
}

const classifyIpv4 = ([a, b, c]: readonly [number, number, number, number]): AddressKind => {
  if (a === 0) return "unspecified"
  if (a === 127) return "loopback"
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) {
    return "private"
  }
  if (a === 169 && b === 254) return "link-local"
  if (a >= 224 && a <= 239) return "multicast"
  if (a >= 240) return "reserved"
  if (a === 192 && b === 0 && c === 0) return "reserved"
  return "public"
}

const embeddedIpv4 = (g: ReadonlyArray<number>): readonly [number, number, number, number] => {
  const hi = g[6] ?? 0
  const lo = g[7] ?? 0
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]
}

const classifyIpv6 = (g: ReadonlyArray<number>): AddressKind => {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 0) return "unspecified"
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 1) return "loopback"
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) are IPv4 addresses in IPv6 clothing.
  if (firstFiveZero && (g5 === 0xffff || g5 === 0)) return classifyIpv4(embeddedIpv4(g))
  // NAT64 64:ff9b::/96 reaches the embedded IPv4 address.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyIpv4(embeddedIpv4(g))
  // 6to4 2002:AABB:CCDD::/48 tunnels to the IPv4 address AABB:CCDD.
  if (g0 === 0x2002) return classifyIpv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff])
  if ((g0 & 0xfe00) === 0xfc00) return "private"
  if ((g0 & 0xffc0) === 0xfe80) return "link-local"
  if ((g0 & 0xff00) === 0xff00) return "multicast"
  return "public"
}

/**
 * Classifies an IP address given as text; `undefined` when the text is not an IP address at all.
 *
 * @category predicates
 * @since 0.1.0
 */
export const classify = (address: string): AddressKind | undefined => {
  const v4 = parseIpv4(address)
  if (v4 !== undefined) return classifyIpv4(v4)
  const v6 = parseIpv6(address)
  return v6 === undefined ? undefined : classifyIpv6(v6)
}

/**
 * Why an address may not be contacted under an allowance, or `undefined` when it may.
 *
 * @category predicates
 * @since 0.1.0
 */
export const refusalReason = (address: string, allowance: AddressAllowance): string | undefined => {
  const kind = classify(address)
  if (kind === undefined) return `${address} is not an IP address`
  switch (kind) {
    case "public":
      return undefined
    case "loopback":
      return allowance.allowLoopback ? undefined : `${address} is a loopback address`
    case "private":
      return allowance.allowPrivate ? undefined : `${address} is a private address`
    default:
      return `${address} is a ${kind} address`
  }
}

/**
 * Whether a hostname matches an allowed-host pattern: an exact name or IP (`finance.manchester.gov.uk`,
 * `127.0.0.1`) or a subdomain wildcard (`*.gov.uk` matches `a.gov.uk` and `b.a.gov.uk`, not `gov.uk`).
 * Case-insensitive; IPv6 brackets are ignored.
 *
 * @category predicates
 * @since 0.1.0
 */
export const hostMatches = (hostname: string, pattern: string): boolean => {
  const host = stripBrackets(hostname).toLowerCase().replace(/\.$/u, "")
  const p = stripBrackets(pattern).toLowerCase().replace(/\.$/u, "")
  if (p.startsWith("*.")) return host.endsWith(p.slice(1)) && host.length > p.length - 1
  return host === p
}

const stripBrackets = (host: string): string => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host)
