import type { ConditionTemplate } from "./permissions";
import { LifecycleTag, managedTagValue } from "./tags";

/** Only resources that already carry the managed tag (narrows, proves nothing: anyone may write tags). */
export const managedTagCondition: ConditionTemplate = {
  test: "StringEquals",
  variable: `aws:ResourceTag/${LifecycleTag.managed}`,
  values: { fixed: [managedTagValue] },
};

/** Only requests that tag the new resources managed (resources created by the call have no tags yet). */
export const managedRequestTagCondition: ConditionTemplate = {
  test: "StringEquals",
  variable: `aws:RequestTag/${LifecycleTag.managed}`,
  values: { fixed: [managedTagValue] },
};

/** The tag keys the service writes all start with this prefix. */
export const lifecycleTagKeyPattern = "ami-lifecycle:*";

/** KMS used on the service's behalf by EC2 in a copy destination region. */
export const ec2ViaService: ConditionTemplate = {
  test: "StringEquals",
  variable: "kms:ViaService",
  values: { viaServiceEc2: "copyDestinations" },
};
