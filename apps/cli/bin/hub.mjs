#!/usr/bin/env node
// The `hub` command: load TypeScript through tsx, then run the CLI's main module.
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")
