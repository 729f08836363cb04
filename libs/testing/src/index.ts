/**
 * Test support shared by every project: run Effect programs as vitest tests.
 *
 * @since 0.1.0
 */
export * as EffectTest from "./EffectTest.ts"
export * as SqlTrace from "./SqlTrace.ts"
