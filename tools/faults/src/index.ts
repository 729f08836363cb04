/**
 * The fault-injection harness: processes started and stopped by pid, a private AOF redis-server, a recording
 * loopback proxy, and the hub under fault with its invariants.
 *
 * @since 0.1.0
 */
export * as FaultHub from "./FaultHub.ts"
export * as PrivateRedis from "./PrivateRedis.ts"
export * as Processes from "./Processes.ts"
export * as RecordingProxy from "./RecordingProxy.ts"
