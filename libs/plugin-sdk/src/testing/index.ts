/**
 * The plugin contract test kit (`@hub/plugin-sdk/testing`): run the contract tests against a simulator started as
 * its own process on a loopback port.
 *
 * @since 0.1.0
 */
export * as ContractKit from "./ContractKit.ts"
export * as SimulatorControl from "./SimulatorControl.ts"
export * as SimulatorProcess from "./SimulatorProcess.ts"
