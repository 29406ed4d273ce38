#!/usr/bin/env node
// The operator CLI runs from its TypeScript sources through tsx's loader: no build step.
import { register } from "tsx/esm/api";

register();
await import("../packages/cli/src/main.ts");
