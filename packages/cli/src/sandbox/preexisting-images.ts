import { adoptAccount } from "@ami-lifecycle/core";
import type { SandboxSession } from "./session";

const homeRegion = "us-east-1";

/**
 * Images the account held before the service was deployed: two payments-api builds of 2025, the older
 * one with a hand-made copy in eu-west-1. The service leaves them alone until someone adopts them.
 */
export function seedPreexistingImages(session: SandboxSession): string[] {
  const { account } = session;
  const older = account.seedImage(homeRegion, {
    name: "payments-api-2025.06.02",
    creationDate: "2025-06-02T09:00:00.000Z",
    sizeGiB: 20,
  });
  const copy = account.seedImage("eu-west-1", {
    name: "payments-api-2025.06.02",
    creationDate: "2025-06-02T10:30:00.000Z",
    sizeGiB: 20,
    source: { imageId: older, region: homeRegion },
  });
  const newer = account.seedImage(homeRegion, {
    name: "payments-api-2025.09.15",
    creationDate: "2025-09-15T09:00:00.000Z",
    sizeGiB: 20,
  });
  session.record({
    region: "all",
    event: `built before the service: payments-api-2025.06.02 (${older}, copy ${copy} in eu-west-1), payments-api-2025.09.15 (${newer})`,
    outcome: "not managed: the service registers only what it sees built, until they are adopted",
  });
  return [older, copy, newer];
}

/** The operator runs `ami-lifecycle adopt --apply`: the images built before the service become versions. */
export async function adoptPreexistingImages(session: SandboxSession): Promise<void> {
  const { reactions } = session.deployment.operatorRuntime;
  const result = await adoptAccount(reactions, { apply: true });
  const adopted = (result.applied ?? []).flatMap((family) =>
    family.images.map(
      (image) => `${family.family} v${image.version} (${image.role}) ${image.region} ${image.imageId}`,
    ),
  );
  session.record({
    region: "all",
    event: "operator runs `ami-lifecycle adopt --apply`",
    outcome: adopted.length > 0 ? `adopted: ${adopted.join("; ")}` : "nothing to adopt",
    result,
  });
  await session.pump();
}
