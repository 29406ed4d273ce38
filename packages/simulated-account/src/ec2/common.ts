import type { Filter, Tag, TagSpecification } from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import { isWellFormedId } from "../ids";
import type { RegionState, SimImage, SimSnapshot } from "../state";

/** Tag map → SDK Tag list. */
export const toTagList = (tags: Map<string, string>): Tag[] =>
  [...tags].map(([Key, Value]) => ({ Key, Value }));

/** True for a key in AWS's reserved `aws:` namespace (any case). */
export const isReservedTagKey = (key: string): boolean => key.toLowerCase().startsWith("aws:");

/** Throws EC2's error for a key in the `aws:` namespace ("May not begin with aws:", EC2 API reference, Tag). */
export function assertNotReservedTagKey(key: string): void {
  if (isReservedTagKey(key)) {
    throw new SimApiError(
      "InvalidParameterValue",
      `Tag keys starting with 'aws:' are reserved for internal use: ${key}`,
    );
  }
}

/** Throws the EC2 error for a user tag whose key is reserved or invalid. */
export function validateUserTags(tags: readonly Tag[]): void {
  for (const tag of tags) {
    if (!tag.Key || tag.Key.length > 128)
      throw new SimApiError("InvalidParameterValue", "Tag key must be 1-128 characters.");
    assertNotReservedTagKey(tag.Key);
    if ((tag.Value ?? "").length > 256)
      throw new SimApiError("InvalidParameterValue", "Tag value must be at most 256 characters.");
  }
}

/** Splits TagSpecifications into the tags for the image and for its snapshots; other types are refused. */
export function tagsFromSpecifications(specs: readonly TagSpecification[] | undefined): {
  image: Tag[];
  snapshot: Tag[];
} {
  const result = { image: [] as Tag[], snapshot: [] as Tag[] };
  for (const spec of specs ?? []) {
    const tags = spec.Tags ?? [];
    validateUserTags(tags);
    if (spec.ResourceType === "image") result.image.push(...tags);
    else if (spec.ResourceType === "snapshot") result.snapshot.push(...tags);
    else {
      throw new SimApiError(
        "InvalidParameterValue",
        `'${spec.ResourceType}' is not a valid taggable resource type for this operation.`,
      );
    }
  }
  return result;
}

/**
 * Applies tags (already validated) to a tag map, enforcing the 50-tags-per-resource limit, which `aws:`
 * tags do not count toward ("Tags with this prefix do not count against your tags-per-resource limit",
 * AWS tag restrictions).
 */
export function applyTags(target: Map<string, string>, tags: readonly Tag[]): void {
  const merged = new Map(target);
  for (const tag of tags) if (tag.Key) merged.set(tag.Key, tag.Value ?? "");
  const counted = [...merged.keys()].filter((key) => !isReservedTagKey(key)).length;
  if (counted > 50)
    throw new SimApiError("TagLimitExceeded", "The maximum number of tags (50) was exceeded.");
  for (const [key, value] of merged) target.set(key, value);
}

/** Validates an AMI id's shape (InvalidAMIID.Malformed). */
export function assertImageIdShape(imageId: string | undefined): string {
  if (!imageId || !isWellFormedId("ami", imageId)) {
    throw new SimApiError("InvalidAMIID.Malformed", `Invalid id: "${imageId ?? ""}" (expecting "ami-...")`);
  }
  return imageId;
}

/**
 * Finds an image by id: InvalidAMIID.Malformed for a bad id, InvalidAMIID.NotFound when unknown,
 * InvalidAMIID.Unavailable when it was deregistered (unless `allowDeregistered`).
 */
export function requireImage(region: RegionState, imageId: string | undefined): SimImage {
  const id = assertImageIdShape(imageId);
  const image = region.images.get(id);
  if (!image) throw new SimApiError("InvalidAMIID.NotFound", `The image id '[${id}]' does not exist`);
  if (image.state === "deregistered") {
    throw new SimApiError("InvalidAMIID.Unavailable", `The image ID '${id}' is no longer available`);
  }
  return image;
}

/** Finds a snapshot: InvalidSnapshotID.Malformed for a bad id, InvalidSnapshot.NotFound when unknown. */
export function requireSnapshot(region: RegionState, snapshotId: string | undefined): SimSnapshot {
  if (!snapshotId || !isWellFormedId("snap", snapshotId)) {
    throw new SimApiError(
      "InvalidSnapshotID.Malformed",
      `Invalid id: "${snapshotId ?? ""}" (expecting "snap-...")`,
    );
  }
  const snapshot = region.snapshots.get(snapshotId);
  if (!snapshot)
    throw new SimApiError("InvalidSnapshot.NotFound", `The snapshot '${snapshotId}' does not exist.`);
  return snapshot;
}

/** Validates an AMI name (3-128 characters from EC2's allowed set) and its uniqueness in the region. */
export function assertImageName(region: RegionState, name: string | undefined): string {
  if (!name || !/^[A-Za-z0-9()[\]./\-'@_ ]{3,128}$/.test(name)) {
    throw new SimApiError(
      "InvalidAMIName.Malformed",
      `AMI names must be 3-128 allowed characters: '${name ?? ""}'`,
    );
  }
  for (const image of region.images.values()) {
    if (image.name === name && image.state !== "deregistered") {
      throw new SimApiError(
        "InvalidAMIName.Duplicate",
        `AMI name ${name} is already in use by AMI ${image.imageId}`,
      );
    }
  }
  return name;
}

/** EC2 filter values accept * (any run) and ? (one character); everything else is literal. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

/**
 * Applies EC2 Filters: values of one filter are OR-ed, filters are AND-ed. `fieldValues` returns the
 * values a resource has for a filter name, or undefined when the filter name is not supported.
 */
export function matchesFilters(
  filters: readonly Filter[] | undefined,
  fieldValues: (name: string) => readonly string[] | undefined,
): boolean {
  for (const filter of filters ?? []) {
    const name = filter.Name ?? "";
    const values = fieldValues(name);
    if (values === undefined)
      throw new SimApiError("InvalidParameterValue", `The filter '${name}' is invalid`);
    const wanted = filter.Values ?? [];
    if (!wanted.some((pattern) => values.some((value) => wildcardMatches(pattern, value)))) return false;
  }
  return true;
}

/** Values of the tag filters every taggable resource supports; undefined for other names. */
export function tagFilterValues(tags: Map<string, string>, name: string): string[] | undefined {
  if (name.startsWith("tag:")) {
    const value = tags.get(name.slice(4));
    return value === undefined ? [] : [value];
  }
  if (name === "tag-key") return [...tags.keys()];
  if (name === "tag-value") return [...tags.values()];
  return undefined;
}

/** Validates MaxResults against EC2's range for the call. */
export function assertMaxResults(maxResults: number | undefined, min: number, max: number): void {
  if (maxResults !== undefined && (maxResults < min || maxResults > max)) {
    throw new SimApiError(
      "InvalidParameterValue",
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
}

/** Slices one page of items; the token is the opaque offset of the next page. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^sim:(\d+)$/.exec(Buffer.from(nextToken, "base64").toString("utf8"));
    if (!decoded) throw new SimApiError("InvalidPaginationToken", `Invalid pagination token: ${nextToken}`);
    start = Number(decoded[1]);
  }
  if (maxResults === undefined) return { page: items.slice(start) };
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { page, nextToken: Buffer.from(`sim:${end}`).toString("base64") } : { page };
}

/** Rejects DryRun the way EC2 does for an allowed caller. */
export function rejectDryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) {
    throw new SimApiError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
  }
}
