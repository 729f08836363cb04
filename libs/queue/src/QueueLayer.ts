/**
 * The whole producer side in one layer, for composition roots: the Redis connections from a URL, the BullMQ
 * queues over them, the producer and the schedules. Workers (`JobWorker.runWorker`) need only the connection,
 * which this layer also provides.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import { BullQueues } from "./BullQueues.ts"
import { type Defaults, Producer } from "./Producer.ts"
import { type Options as ConnectionOptions, QueueConnection } from "./QueueConnection.ts"
import { Schedules } from "./Schedules.ts"

/**
 * Connection settings plus the job defaults of the producer.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options extends ConnectionOptions {
  readonly jobDefaults?: Partial<Defaults> | undefined
}

/**
 * Every service of the library over one Redis: `QueueConnection`, `BullQueues`, `Producer`, `Schedules`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<QueueConnection | BullQueues | Producer | Schedules> => {
  const queues = BullQueues.layer.pipe(Layer.provideMerge(QueueConnection.layer(options)))
  const producer = Producer.layer(options.jobDefaults ?? {}).pipe(Layer.provideMerge(queues))
  return Schedules.layer.pipe(Layer.provideMerge(producer))
}
