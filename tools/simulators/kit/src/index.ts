/**
 * The simulator kit: what every external-system simulator (London CBS, NHS England returns, council finance)
 * shares. See README.md for a walkthrough.
 *
 * @since 0.1.0
 */
export * as Auth from "./Auth.ts"
export * as BodyValidation from "./BodyValidation.ts"
export * as Cursor from "./Cursor.ts"
export * as Faults from "./Faults.ts"
export * as LoopbackClient from "./LoopbackClient.ts"
export * as Main from "./Main.ts"
export * as Pounds from "./Pounds.ts"
export * as Problem from "./Problem.ts"
export * as SeededRandom from "./SeededRandom.ts"
export * as Server from "./Server.ts"
export * as Simulator from "./Simulator.ts"
export * as SubmissionRecorder from "./SubmissionRecorder.ts"
