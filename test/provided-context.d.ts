import "vitest";

declare module "vitest" {
  /** Values test/global-setup.ts provides to every test file. */
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
