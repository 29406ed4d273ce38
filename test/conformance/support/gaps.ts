import type { Target } from "./targets";

/**
 * Where moto 5.2.1 answers differently from AWS's documentation (each row is in docs/conformance.md).
 * Tests assert AWS's answer on the simulated account and moto's known answer on moto, so a moto
 * release that closes a gap makes the test fail and the row can go.
 */
export function expectedOn<T>(target: Target, answers: { aws: T; moto: T }): T {
  return target.kind === "moto" ? answers.moto : answers.aws;
}
