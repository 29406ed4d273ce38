import {
  fastRetryStrategy,
  SimulatedAccount,
  type SimulatedAccountOptions,
} from "@ami-lifecycle/simulated-account";
import { EC2Client } from "@aws-sdk/client-ec2";

export const EAST = "us-east-1";
export const WEST = "eu-west-1";
export const MINUTE = 60_000;

/** A fresh account with EC2 clients in two regions (no retries unless asked). */
export function setup(options: SimulatedAccountOptions = {}, maxAttempts = 1) {
  const account = new SimulatedAccount(options);
  const config = { retryStrategy: fastRetryStrategy(maxAttempts) };
  return {
    account,
    east: account.client(EC2Client, EAST, { config }),
    west: account.client(EC2Client, WEST, { config }),
  };
}

/** Awaits a promise expected to reject and returns the error. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}
