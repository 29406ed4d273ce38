import "vitest";

declare module "vitest" {
  /** Values test/global-setup.ts provides to every test file. */
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** moto's endpoint for the conformance suite (test/conformance/global-setup.ts); empty when moto is missing */
    motoEndpoint: string;
  }
}
