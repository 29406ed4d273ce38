import { afterEach } from "vitest";
import {
  describeDenial,
  forgetIamAuthorizers,
  takeAllIamDenials,
} from "../../packages/simulated-account/src/iam/authorizer";

/**
 * Setup file of the integration project: a test fails when any simulated account refused a call of a
 * handler or the operator that the test did not take with `account.iam.takeDenials()`. A handler that
 * swallows the error (a reference lookup, a best-effort notification) still fails the test this way.
 */
afterEach(() => {
  const denials = takeAllIamDenials();
  forgetIamAuthorizers();
  if (denials.length > 0) {
    throw new Error(`unexpected IAM denials:\n${denials.map(describeDenial).join("\n")}`);
  }
});
