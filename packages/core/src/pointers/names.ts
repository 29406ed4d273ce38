import { latestChannel } from "../config-limits";

/** The SSM parameter name of one family's channel: `{family}` and `{channel}` of the pattern replaced. */
export function pointerName(namePattern: string, family: string, channel: string): string {
  return namePattern.replaceAll("{family}", family).replaceAll("{channel}", channel);
}

/** The name of a family's automatic `latest` pointer. */
export function latestPointerName(namePattern: string, family: string): string {
  return pointerName(namePattern, family, latestChannel);
}

/**
 * The fixed path every pointer name starts with (`/ami-lifecycle/` for the default pattern): the part
 * before the first placeholder, cut after its last `/`. IAM grants are scoped to it.
 */
export function pointerPathPrefix(namePattern: string): string {
  const fixed = namePattern.slice(0, namePattern.indexOf("{"));
  return fixed.slice(0, fixed.lastIndexOf("/") + 1) || "/";
}
