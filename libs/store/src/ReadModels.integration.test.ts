import * as Backends from "./test-support/Backends.ts"
import { readModelSuite } from "./test-support/ReadModelSuite.ts"

readModelSuite(Backends.postgres)
