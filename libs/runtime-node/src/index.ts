/**
 * Running Effect programs as Node processes.
 *
 * @since 0.1.0
 */
export * as NodeMain from "./NodeMain.ts"
