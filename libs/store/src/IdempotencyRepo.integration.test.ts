import * as Backends from "./test-support/Backends.ts"
import { idempotencySuite } from "./test-support/IdempotencySuite.ts"

idempotencySuite(Backends.postgres)
