/**
 * A process for the data-folder lock tests: opens the store (or only its lock) on the folder given as its
 * first argument, prints "ready", then waits to be stopped, or, with `exit`, leaves by `process.exit(0)`
 * without closing the layer. Run with `node --import tsx HoldDataFolder.ts <folder> [store|lock] [wait|exit]`.
 */
import { Effect, Layer } from "effect"
import * as DataFolderLock from "../DataFolderLock.ts"
import * as Store from "../Store.ts"

const [folder, what = "store", then = "wait"] = process.argv.slice(2)
if (folder === undefined) throw new Error("usage: HoldDataFolder.ts <folder> [store|lock] [wait|exit]")

const hold = what === "lock" ? DataFolderLock.acquire(folder) : Layer.build(Store.layerPglite({ dataDir: folder }))

// Effect.never alone does not keep Node's event loop alive; a timer does, until the process is stopped.
const waitForever = Effect.callback<never>(() => {
  const timer = setInterval(() => undefined, 60_000)
  return Effect.sync(() => clearInterval(timer))
})

const program = hold.pipe(
  Effect.andThen(Effect.sync(() => process.stdout.write("ready\n"))),
  Effect.andThen(then === "exit" ? Effect.sync(() => process.exit(0)) : waitForever),
  Effect.scoped,
  Effect.catch((error) => Effect.sync(() => process.stdout.write(`${error._tag}: ${error.message}\n`)))
)

void Effect.runPromise(program)
