import * as Backends from "./test-support/Backends.ts"
import { delegationSuite } from "./test-support/DelegationSuite.ts"

delegationSuite(Backends.postgres)
