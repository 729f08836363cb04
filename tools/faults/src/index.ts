/**
 * The fault-injection harness: processes started and stopped by pid, a private AOF redis-server, a recording
 * loopback HTTP proxy, a cuttable loopback TCP proxy, the gateway as a process, and the hub under fault with its
 * invariants.
 *
 * @since 0.1.0
 */
export * as Env from "./support/Env.ts"
export * as FaultHub from "./support/FaultHub.ts"
export * as Gateway from "./support/Gateway.ts"
export * as PrivateRedis from "./support/PrivateRedis.ts"
export * as Processes from "./support/Processes.ts"
export * as RecordingProxy from "./support/RecordingProxy.ts"
export * as TcpProxy from "./support/TcpProxy.ts"
