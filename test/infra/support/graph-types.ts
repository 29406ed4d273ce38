/** One resource the program registered, as the Pulumi mocks saw it. */
export interface GraphResource {
  type: string;
  name: string;
  /** region the resource's provider deploys to (the app's default provider is the home region) */
  region: string;
  /** inputs with every Output resolved */
  inputs: Record<string, unknown>;
  custom: boolean;
  /** set when the program read an existing resource (e.g. `aws.iam.Role.get`) */
  readId?: string;
  /** resource options after every stack transformation (SST's `removal: retain` included) */
  retainOnDelete?: boolean;
}

/** One provider function call (invoke) the program made. */
export interface GraphCall {
  token: string;
  region: string;
  inputs: Record<string, unknown>;
}

/** One function build SST asked its CLI for (`Runtime.Build`). */
export interface GraphBuild {
  functionID: string;
  handler: string;
  runtime: string;
  properties: Record<string, unknown>;
}

/** Everything the evaluation of sst.config.ts produced for one stage. */
export interface SstGraph {
  stage: string;
  /** the `$app` the CLI would define (app() of sst.config.ts, plus the stage) */
  app: Record<string, unknown>;
  resources: GraphResource[];
  calls: GraphCall[];
  builds: GraphBuild[];
  bootstrapRegions: string[];
  outputs: Record<string, unknown>;
}

/** Fixed values the mocks answer with. */
export const mockAccount = { accountId: "111122223333", partition: "aws" } as const;
