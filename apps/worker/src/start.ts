/**
 * Entry point of the one-command start (scripts/start.sh runs it): see `HubStart.ts`.
 *
 * @since 0.1.0
 */
import { NodeMain } from "@hub/runtime-node"
import * as HubStart from "./HubStart.ts"

NodeMain.runMain(HubStart.program)
