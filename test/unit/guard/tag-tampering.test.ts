import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, type Notification, parseImageTagChange, reportTagTampering } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "../sweep/fakes";

const serviceRole = "arn:aws:iam::111122223333:role/ami-lifecycle-prod-ImageStateChangeRole-4f2a9b3";

/** A sample of test/fixtures/tag-events, parsed by its contract. */
function change(file: string) {
  const path = join(__dirname, "../../fixtures/tag-events", file);
  return parseImageTagChange(JSON.parse(readFileSync(path, "utf8")));
}

/**
 * A registry whose claims behave like the real one's leases (a taken claim is held until completed or
 * released; a completed one is done for good), recording one image.
 */
function claimingRegistry() {
  const claims = new Map<string, "held" | "done">();
  return Object.assign(new FakeRegistry([]), {
    claims,
    takeClaim: async (key: string) => {
      const state = claims.get(key);
      if (state) return { state };
      claims.set(key, "held");
      return { state: "taken" as const, leaseId: key };
    },
    completeClaim: async (key: string) => {
      claims.set(key, "done");
    },
    releaseLease: async (key: string) => {
      if (claims.get(key) === "held") claims.delete(key);
    },
    findByImageId: async (imageId: string) =>
      imageId === "ami-0f1e2d3c4b5a69788"
        ? { family: "web", version: 1, region: "us-east-1", role: "source" as const }
        : undefined,
  });
}

/** Guard dependencies over the fakes; `failPublishes` publishes fail first. */
function guard(options: { serviceRoles?: string[]; failPublishes?: number } = {}) {
  const registry = claimingRegistry();
  const { deps } = sweepDeps(configWith([family()], "enforce"), new FakeImages([]), registry);
  const security: Notification[] = [];
  let failures = options.failPublishes ?? 0;
  deps.securityNotifier = {
    publish: async (notification) => {
      if (failures-- > 0) throw new Error("SNS unavailable");
      security.push(notification);
    },
  };
  if (options.serviceRoles) deps.serviceRoleArns = options.serviceRoles;
  return { deps, security, registry };
}

describe("reportTagTampering", () => {
  it("reports forged lifecycle tags with who, which tags and which recorded images, once per CloudTrail event", async () => {
    // Prepare
    const { deps, security } = guard({ serviceRoles: [serviceRole] });
    const forged = change("cloudtrail-create-tags-forged.json");

    // Act
    const first = await reportTagTampering(deps, forged);
    const again = await reportTagTampering(deps, forged);

    // Assess
    expect(first).toMatchObject({
      outcome: "reported",
      effects: [{ kind: "security-notified", type: "tag-tampering" }],
    });
    expect(again).toMatchObject({ outcome: "reported", effects: [] });
    expect(security).toHaveLength(1);
    expect(security[0]).toMatchObject({
      eventType: "tag-tampering",
      team: "security",
      family: "web",
      detail: {
        actor: "arn:aws:iam::111122223333:user/mallory",
        recorded: [{ imageId: "ami-0f1e2d3c4b5a69788", family: "web", version: 1 }],
        managed: true,
      },
    });
  });

  it("ignores the service's own roles, and keep tags", async () => {
    // Prepare
    const { deps, security } = guard({ serviceRoles: [serviceRole] });

    // Act
    const own = await reportTagTampering(deps, change("cloudtrail-create-tags-service.json"));
    const keep = await reportTagTampering(deps, change("cloudtrail-create-tags-keep.json"));

    // Assess
    expect(own).toMatchObject({ outcome: "ignored", reason: "the service's own call" });
    expect(keep).toMatchObject({ outcome: "ignored", reason: "no lifecycle tag named" });
    expect(security).toEqual([]);
  });

  it("reports a DeleteTags of every tag on a recorded image, and ignores one on anything else", async () => {
    // Prepare
    const { deps, security } = guard({ serviceRoles: [serviceRole] });
    const onRecorded = change("cloudtrail-delete-tags-all.json");
    const onStranger = { ...onRecorded, cloudTrailEventId: "other", resourceIds: ["ami-0123456789abcdef0"] };

    // Act
    const recorded = await reportTagTampering(deps, onRecorded);
    const stranger = await reportTagTampering(deps, onStranger);

    // Assess
    expect(recorded.outcome).toBe("reported");
    expect(security[0]?.body).toContain("deleted every tag on ami-0f1e2d3c4b5a69788");
    expect(stranger).toMatchObject({ outcome: "ignored" });
    expect(security).toHaveLength(1);
  });

  it("lets a retry send the alert when publishing failed, still only once", async () => {
    // Prepare
    const { deps, security } = guard({ serviceRoles: [serviceRole], failPublishes: 1 });
    const forged = change("cloudtrail-create-tags-forged.json");

    // Act
    await expect(reportTagTampering(deps, forged)).rejects.toThrow("SNS unavailable");
    await reportTagTampering(deps, forged);
    await reportTagTampering(deps, forged);

    // Assess
    expect(security).toHaveLength(1);
  });

  it("refuses to guess without the service's roles: every tag write would look foreign, or none would", async () => {
    // Prepare
    const { deps, security, registry } = guard();

    // Act
    const run = reportTagTampering(deps, change("cloudtrail-create-tags-forged.json"));

    // Assess
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/SERVICE_ROLE_ARNS/);
    expect(security).toEqual([]);
    expect(registry.claims.size).toBe(0);
  });
});
