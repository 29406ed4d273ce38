import {
  type EC2Client,
  paginateDescribeLaunchTemplates,
  paginateDescribeLaunchTemplateVersions,
} from "@aws-sdk/client-ec2";
import { hasAwsErrorCode, translateAwsError } from "../errors";

/** Every version of one launch template and the image each launches. */
export interface LaunchTemplateVersions {
  templateId: string;
  templateName: string;
  defaultVersion: number | undefined;
  latestVersion: number | undefined;
  /** version number → image id (undefined when the version names no image) */
  images: ReadonlyMap<number, string | undefined>;
}

/** How a group, a fleet or a person names a launch template. */
export interface LaunchTemplateRef {
  launchTemplateId?: string | undefined;
  launchTemplateName?: string | undefined;
}

/** EC2 answers these when a template named by id or name is gone. */
const templateGoneCodes = [
  "InvalidLaunchTemplateId.NotFound",
  "InvalidLaunchTemplateName.NotFoundException",
  "InvalidLaunchTemplateId.Malformed",
];

/**
 * The launch templates of one region, read once per catalogue (one per reference reading, see
 * RegionLaunchSources): each template's versions are fetched on first use (DescribeLaunchTemplateVersions
 * for one template lists every version; account-wide it only accepts $Default/$Latest, which is how older
 * versions were missed). A failed read is forgotten, so a later lookup asks again.
 */
export class LaunchTemplateCatalog {
  private readonly loaded = new Map<string, Promise<LaunchTemplateVersions | undefined>>();
  private listing: Promise<string[]> | undefined;

  constructor(private readonly client: EC2Client) {}

  /** Every template of the region with all its versions. */
  async all(): Promise<LaunchTemplateVersions[]> {
    this.listing ??= this.listIds().catch((error: unknown) => {
      this.listing = undefined;
      throw error;
    });
    const ids = await this.listing;
    const templates = await Promise.all(ids.map((id) => this.get({ launchTemplateId: id })));
    return templates.filter((template) => template !== undefined);
  }

  private async listIds(): Promise<string[]> {
    const ids: string[] = [];
    try {
      for await (const page of paginateDescribeLaunchTemplates({ client: this.client, pageSize: 200 }, {})) {
        for (const template of page.LaunchTemplates ?? [])
          if (template.LaunchTemplateId) ids.push(template.LaunchTemplateId);
      }
    } catch (error) {
      throw translateAwsError("EC2.DescribeLaunchTemplates", error);
    }
    return ids;
  }

  /** One template by id (preferred) or name; undefined when it no longer exists (nothing can launch from it). */
  get(ref: LaunchTemplateRef): Promise<LaunchTemplateVersions | undefined> {
    const key = ref.launchTemplateId ? `id:${ref.launchTemplateId}` : `name:${ref.launchTemplateName ?? ""}`;
    let versions = this.loaded.get(key);
    if (!versions) {
      versions = this.load(ref).catch((error: unknown) => {
        this.loaded.delete(key);
        throw error;
      });
      this.loaded.set(key, versions);
    }
    return versions;
  }

  private async load(ref: LaunchTemplateRef): Promise<LaunchTemplateVersions | undefined> {
    const images = new Map<number, string | undefined>();
    let templateId = ref.launchTemplateId;
    let templateName = ref.launchTemplateName;
    let defaultVersion: number | undefined;
    try {
      const pages = paginateDescribeLaunchTemplateVersions(
        { client: this.client, pageSize: 200 },
        ref.launchTemplateId
          ? { LaunchTemplateId: ref.launchTemplateId }
          : { LaunchTemplateName: ref.launchTemplateName },
      );
      for await (const page of pages) {
        for (const version of page.LaunchTemplateVersions ?? []) {
          if (version.VersionNumber === undefined) continue;
          templateId ??= version.LaunchTemplateId;
          templateName ??= version.LaunchTemplateName;
          images.set(version.VersionNumber, version.LaunchTemplateData?.ImageId);
          if (version.DefaultVersion) defaultVersion = version.VersionNumber;
        }
      }
    } catch (error) {
      if (hasAwsErrorCode(error, ...templateGoneCodes)) return undefined;
      throw translateAwsError("EC2.DescribeLaunchTemplateVersions", error);
    }
    if (!templateId || images.size === 0) return undefined;
    return {
      templateId,
      templateName: templateName ?? templateId,
      defaultVersion,
      latestVersion: Math.max(...images.keys()),
      images,
    };
  }
}

/** The version number a `$Default`, `$Latest`, numeric or absent (= default) version spec stands for. */
export function resolveVersion(
  template: LaunchTemplateVersions,
  spec: string | undefined,
): number | undefined {
  if (spec === undefined || spec === "$Default") return template.defaultVersion;
  if (spec === "$Latest") return template.latestVersion;
  const number = Number(spec);
  return Number.isInteger(number) && template.images.has(number) ? number : undefined;
}

/** "launch template web (lt-0abc) version 3" or "… versions 1, 3", for reasons. */
export function describeTemplateVersions(
  template: LaunchTemplateVersions,
  versions: readonly number[],
): string {
  const sorted = [...versions].sort((a, b) => a - b);
  const label = sorted.length === 1 ? "version" : "versions";
  return `launch template ${template.templateName} (${template.templateId}) ${label} ${sorted.join(", ")}`;
}
