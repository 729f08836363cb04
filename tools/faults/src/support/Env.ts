/**
 * What the fault tests read from the environment: the PostgreSQL they create schemas in, and fresh names.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"

/**
 * The PostgreSQL server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 *
 * @category config
 * @since 0.1.0
 */
export const testDatabaseUrl = (): string => process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

/**
 * A name no other run uses.
 *
 * @category constructors
 * @since 0.1.0
 */
export const freshName = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`
