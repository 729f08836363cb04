/**
 * The bull-board dashboards of the hub's queues: one read-only board for keys with the `ops` scope and one full
 * board (retry, clean, pause, ...) for `admin` keys, both served under `/admin/queues`. bull-board decides
 * read-only mode when a board is built, not per request, so the gateway builds both and picks one per request.
 *
 * @since 0.1.0
 */
import { createBullBoard } from "@bull-board/api"
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter"
import { HonoAdapter } from "@bull-board/hono"
import { serveStatic } from "@hono/node-server/serve-static"
import type { Queue } from "bullmq"
import { Hono } from "hono"

/**
 * Where the dashboard is served.
 *
 * @category constants
 * @since 0.1.0
 */
export const basePath = "/admin/queues"

/**
 * The two boards, as fetch handlers for requests under {@link basePath}.
 *
 * @category models
 * @since 0.1.0
 */
export interface QueueBoards {
  readonly readOnly: Hono
  readonly full: Hono
}

const board = (queues: ReadonlyArray<Queue>, readOnlyMode: boolean): Hono => {
  const adapter = new HonoAdapter(serveStatic).setBasePath(basePath)
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: readOnlyMode ? "Hub queues (read-only)" : "Hub queues" } }
  })
  return new Hono().route(basePath, adapter.registerPlugin())
}

/**
 * Builds both boards over the given BullMQ queues (libs/queue's `BullQueues.get` for each hub queue name).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (queues: ReadonlyArray<Queue>): QueueBoards => ({ readOnly: board(queues, true), full: board(queues, false) })
