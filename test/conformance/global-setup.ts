import type { TestProject } from "vitest/node";
import { isMotoInstalled, motoInstallHint, startMotoServer } from "./support/moto-server";

/** Set to 1 (CI does) to make a missing moto fail the run instead of skipping the conformance suite. */
export const requireMotoVariable = "AMI_LIFECYCLE_REQUIRE_MOTO";

/**
 * Starts one moto server for the conformance suite and stops it after the run (vitest calls the returned
 * teardown on failure too). Each test file works in its own moto account, so files never see each other's data.
 * Without moto the suite is skipped with one line, or fails when CI requires it.
 */
export default async function setup(project: TestProject) {
  if (!isMotoInstalled()) {
    const missing = `python3 cannot import moto.server (install it with: ${motoInstallHint})`;
    if (process.env[requireMotoVariable] === "1") {
      throw new Error(`moto conformance suite required (${requireMotoVariable}=1) but ${missing}`);
    }
    console.warn(`moto conformance suite skipped: ${missing}`);
    project.provide("motoEndpoint", "");
    return;
  }
  const moto = await startMotoServer();
  project.provide("motoEndpoint", moto.endpoint);
  return () => moto.stop();
}
