import { Violation } from "@hub/domain"
import { Schema } from "effect"
import { HTTPException } from "hono/http-exception"
import { describe, expect, it } from "vitest"
import * as GatewayErrors from "./GatewayErrors.ts"
import { fromError, statusOf, table } from "./ProblemDetails.ts"

const context = { requestId: "req-1", instance: "/v1/x" }

describe("the error table", () => {
  it.each([
    [new GatewayErrors.MalformedJson(), 400],
    [new GatewayErrors.ValidationFailed({ target: "query", issues: [] }), 400],
    [new GatewayErrors.Unauthorized(), 401],
    [new GatewayErrors.Forbidden({ required: "ops" }), 403],
    [new GatewayErrors.CrossOrigin(), 403],
    [new GatewayErrors.NotFound({ entity: "organisation", key: "ZZZ" }), 404],
    [new GatewayErrors.MethodNotAllowed({ method: "PUT", allow: ["GET"] }), 405],
    [new GatewayErrors.Conflict({ reason: "taken" }), 409],
    [new GatewayErrors.PayloadTooLarge({ limitBytes: 10 }), 413],
    [new GatewayErrors.UnsupportedMediaType({ contentType: "text/plain" }), 415],
    [new Violation.RuleViolations({ violations: [Violation.make("r/x", "broken")] }), 422],
    [new GatewayErrors.RateLimited({ retryAfterSeconds: 3 }), 429],
    [new GatewayErrors.DependencyUnavailable({ dependencies: ["redis"] }), 503]
  ] as const)("maps %o to %i", (error, status) => {
    expect(statusOf(error)).toBe(status)
    const problem = fromError(error, context)
    expect(problem.status).toBe(status)
    expect(problem.headers["Content-Type"]).toBe("application/problem+json")
    expect(problem.body).toMatchObject({ status, instance: "/v1/x", requestId: "req-1", type: expect.stringMatching(/^urn:hub:problem:/u) })
  })

  it("maps other libraries' failures by their tag alone: store's NotFound and OutboxConflict, queue's QueueUnavailable", () => {
    class StoreNotFound extends Schema.TaggedError<StoreNotFound>()("NotFound", { entity: Schema.String, key: Schema.String }) {}
    class QueueUnavailable extends Schema.TaggedError<QueueUnavailable>()("QueueUnavailable", {
      queue: Schema.String,
      operation: Schema.String,
      reason: Schema.String
    }) {}
    expect(fromError(new StoreNotFound({ entity: "submission", key: "s-1" }), context).body.detail).toBe('No submission "s-1" was found.')
    const queue = fromError(new QueueUnavailable({ queue: "hub:pull", operation: "add", reason: "connect ECONNREFUSED 10.0.0.5:6379" }), context)
    expect(queue.status).toBe(503)
    expect(JSON.stringify(queue.body)).not.toContain("10.0.0.5")
    expect(queue.body.dependencies).toEqual(["redis"])
    expect(statusOf({ _tag: "OutboxConflict", idempotencyKey: "k", reason: "version 2 does not follow 3" })).toBe(409)
  })

  it("puts every input issue and every rule violation in the body", () => {
    const issues = [{ path: ["query", "limit"], message: "too big" }, { path: ["query", "asOf"], message: "not a date" }]
    expect(fromError(new GatewayErrors.ValidationFailed({ target: "query", issues }), context).body.errors).toEqual(issues)
    const violations = [Violation.make("a/one", "first", { bodies: ["5LE"] }), Violation.make("a/two", "second", { source: "london-2006 §3.2" })]
    const body = fromError(new Violation.RuleViolations({ violations: violations as [Violation.Violation, ...Array<Violation.Violation>] }), context).body
    expect(body.violations).toEqual(violations)
  })

  it("sets Retry-After on 429, Allow on 405 and a Bearer challenge on 401", () => {
    expect(fromError(new GatewayErrors.RateLimited({ retryAfterSeconds: 7 }), context).headers["Retry-After"]).toBe("7")
    expect(fromError(new GatewayErrors.MethodNotAllowed({ method: "PUT", allow: ["GET", "HEAD"] }), context).headers["Allow"]).toBe("GET, HEAD")
    expect(fromError(new GatewayErrors.Unauthorized(), context).headers["WWW-Authenticate"]).toMatch(/^Bearer/u)
  })

  it("turns anything unknown into a 500 with a generic detail, never its message or stack", () => {
    for (const error of [new Error("connection string postgres://hub:pw@db"), { _tag: "SomethingNew", secret: "pw" }, "a string", undefined]) {
      const problem = fromError(error, context)
      expect(problem.status).toBe(500)
      const text = JSON.stringify(problem.body)
      expect(text).not.toContain("pw")
      expect(text).not.toContain("stack")
      expect(problem.body.detail).toContain("request id")
    }
  })

  it("reads Hono's own exceptions: unparseable JSON is a 400 malformed-json problem", () => {
    expect(fromError(new HTTPException(400, { message: "Malformed JSON in request body" }), context).body.type).toBe("urn:hub:problem:malformed-json")
    expect(statusOf(new HTTPException(413))).toBe(413)
    const other = fromError(new HTTPException(408, { message: "internal reason" }), context)
    expect(other.status).toBe(408)
    expect(JSON.stringify(other.body)).not.toContain("internal reason")
    expect(statusOf(new HTTPException(502, { message: "upstream" }))).toBe(500)
  })

  it("has one row per tag, each with a 4xx or 5xx status", () => {
    for (const mapping of Object.values(table)) expect(mapping.status).toBeGreaterThanOrEqual(400)
  })
})
