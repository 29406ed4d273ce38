import { type Config, consumerRoleTargets, consumerRoleTemplate, sweepTrustFor } from "@ami-lifecycle/core";
import type { Functions } from "./functions";

/**
 * The consumer role in every account of the configured roots and OUs: a CloudFormation StackSet with
 * service-managed permissions and auto-deployment, so an account joining an OU gets the role and one
 * leaving loses it. The template comes from core (consumerRoleTemplate: reads only, trusting the
 * sweep's role with the external id / aws:PrincipalOrgID). IAM is global: one stack per account, in
 * the home region. Nothing when the config has no `organization.consumerRoleStackSet`.
 */
export function createConsumerRoleStackSet(input: { config: Config; stage: string; functions: Functions }) {
  const { config } = input;
  const stackSet = config.organization?.consumerRoleStackSet;
  if (!stackSet) return undefined;
  const targets = consumerRoleTargets(config);
  if (targets.length === 0) {
    throw new Error(
      "organization.consumerRoleStackSet: no targets: name roots or OUs in `targets`, or share a family with an OU",
    );
  }
  const sweepRole = input.functions.handlers["retention-sweep"].role;
  const set = new aws.cloudformation.StackSet(
    "ConsumerRoleStackSet",
    {
      name: `ami-lifecycle-${input.stage}-consumer-role`,
      description: "ami-lifecycle: the read-only role the image owner's retention sweep assumes",
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: stackSet.callAs,
      // The template names the role (organization.consumerRoleName): the sweep builds its ARN from it.
      capabilities: ["CAPABILITY_NAMED_IAM"],
      templateBody: sweepRole.arn.apply((arn) =>
        JSON.stringify(consumerRoleTemplate(config, sweepTrustFor(config, [arn]))),
      ),
    },
    // Service-managed: CloudFormation manages the execution roles and reports an administration role of
    // its own, which must not show as drift.
    { ignoreChanges: ["administrationRoleArn"] },
  );
  const instances = new aws.cloudformation.StackSetInstance("ConsumerRoleStackSetInstances", {
    stackSetName: set.name,
    callAs: stackSet.callAs,
    deploymentTargets: { organizationalUnitIds: targets },
    stackSetInstanceRegion: config.homeRegion,
    operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25 },
  });
  return { stackSet: set, instances };
}
