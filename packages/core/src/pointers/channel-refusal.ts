import type { FamilyConfig } from "../config";
import { latestChannel } from "../config-limits";
import { PointerTargetError } from "./errors";

/**
 * Why `promote` refuses to move `channel` of `family`, decided from the config alone (so the CLI refuses
 * before it opens anything): `latest` follows the versions by itself, and only a configured channel is pinned.
 */
export function channelRefusal(family: FamilyConfig, channel: string): PointerTargetError | undefined {
  if (channel === latestChannel)
    return new PointerTargetError(
      family.name,
      `${latestChannel} follows the versions by itself; use rollback`,
    );
  if (!family.channels.includes(channel))
    return new PointerTargetError(family.name, `channel ${channel} is not configured (families[].channels)`);
  return undefined;
}
