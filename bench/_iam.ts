// Benches run with IAM evaluation on: the local deployment evaluates each handler's calls against its
// rendered role, as in the tests. A denial would make a bench measure a failure path, so it fails the bench
// (thrown, so the bench's `finally` still stops DynamoDB Local).
import { describeDenial, type SimulatedAccount } from "@ami-lifecycle/simulated-account";

/** The number of IAM denials the account recorded (0); throws, describing each, when there is any. */
export function deniedCalls(account: SimulatedAccount, bench: string): number {
  const denials = account.iam.denials();
  if (denials.length === 0) return 0;
  throw new Error(`${bench}: ${denials.length} IAM denials:\n${denials.map(describeDenial).join("\n")}`);
}
