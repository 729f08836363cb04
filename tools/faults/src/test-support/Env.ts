/**
 * What the fault tests read from the environment: the PostgreSQL they create schemas in, and fresh names.
 */
import { randomUUID } from "node:crypto"

/** The PostgreSQL server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). */
export const testDatabaseUrl = (): string => process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

/** A name no other run uses. */
export const freshName = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`
