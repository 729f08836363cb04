import * as Backends from "./test-support/Backends.ts"
import { storeSuite } from "./test-support/StoreSuite.ts"

storeSuite(Backends.postgres)
