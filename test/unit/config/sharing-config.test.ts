import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../packages/core/src/index";
import { issuesOf } from "../../support/config-documents";

const family = { name: "base", team: "platform", match: { namePattern: "base-*" } };
const base = {
  accounts: ["111122223333"],
  homeRegion: "us-east-1",
  regions: ["us-east-1"],
  families: [family],
};

describe("sharing and guard configuration", () => {
  it("shares with nobody and reverts public images by default", () => {
    // Act
    const config = parseConfig(base);

    // Assess
    expect(config.families[0]?.sharing).toEqual({
      accounts: [],
      organizationArns: [],
      organizationalUnitArns: [],
      createVolumePermission: false,
    });
    expect(config.guard).toEqual({ publicImages: "revert" });
  });

  it("accepts accounts, organizations, OUs, snapshot permission and alert mode", () => {
    // Act
    const config = parseConfig({
      ...base,
      guard: { publicImages: "alert" },
      families: [
        {
          ...family,
          sharing: {
            accounts: ["444455556666"],
            organizationArns: ["arn:aws:organizations::111122223333:organization/o-abcdef1234"],
            organizationalUnitArns: ["arn:aws:organizations::111122223333:ou/o-abcdef1234/ou-ab12-cdef3456"],
            createVolumePermission: true,
          },
        },
      ],
    });

    // Assess
    expect(config.guard.publicImages).toBe("alert");
    expect(config.families[0]?.sharing.accounts).toEqual(["444455556666"]);
  });

  it("names a duplicate consumer account", () => {
    // Act
    const issues = issuesOf({
      ...base,
      families: [{ ...family, sharing: { accounts: ["444455556666", "444455556666"] } }],
    });

    // Assess
    expect(issues).toEqual([
      { path: "families[0].sharing.accounts[1]", message: 'duplicate account "444455556666"' },
    ]);
  });

  it("names the path of a bad account, a bad organization and an unknown guard mode", () => {
    // Act
    const issues = issuesOf({
      ...base,
      guard: { publicImages: "ignore" },
      families: [
        {
          ...family,
          sharing: {
            accounts: ["4444"],
            organizationArns: ["o-abcdef1234"],
          },
        },
      ],
    });

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "families[0].sharing.accounts[0]", message: "must be a 12-digit AWS account id" },
        { path: "families[0].sharing.organizationArns[0]", message: "must be an organization ARN" },
        { path: "guard.publicImages", message: 'must be one of "revert", "alert"' },
      ]),
    );
  });
});
