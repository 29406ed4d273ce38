import { grantFlows, grantsOf, uncaughtGrants } from "./removed-grant-flows";
import {
  resourceStatementFlows,
  resourceStatements,
  uncaughtResourceStatements,
} from "./removed-resource-statements";

/** The key-policy table: each deployed statement with the flow its removal denies, or why none does. */
function renderResourceStatements(): string {
  const rows = resourceStatements().map((statement) => {
    const name = `${statement.policy} ${statement.sid}`;
    const reason = uncaughtResourceStatements[name];
    const caughtBy = reason
      ? `not caught: ${reason}`
      : `\`without ${statement.policy}'s ${statement.sid} a flow is denied one of its actions\` (${resourceStatementFlows[name]} flow)`;
    return `| ${statement.policy} | ${statement.sid} | ${statement.actions.join(", ")} | ${caughtBy} |`;
  });
  return [
    "### key policies",
    "",
    "Proven by `test/scenario/iam-removed-resource-statements.test.ts`: the flow above runs with one",
    "statement removed from the key policy the stacks deploy (`copyKeyPolicyDocument`,",
    "`notificationsKeyPolicyDocument`). KMS needs the key policy to allow, directly or by delegating to",
    "the account's IAM. The stacks set no SNS topic policy: SNS's default applies, which admits only",
    "requests SNS attributes to the account (`AWS:SourceOwner`), so the account's roles are authorised by",
    "their own grants (`PublishNotification`); the simulated account evaluates that default too.",
    "",
    "| key policy | statement (Sid) | actions | caught by |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/**
 * docs/permissions.md, rendered from the removed-grant proof itself: every statement of every handler's
 * role with the test that catches it, or the reason none does. The proof
 * (test/scenario/iam-removed-grants.test.ts) fails when a "caught" row is not caught, and the staleness
 * test when this text and the file differ, so the table cannot drift from the roles.
 */
export function renderPermissionsDoc(): string {
  const sections = grantFlows.map((flow) => {
    const uncaught = uncaughtGrants[flow.handler];
    const rows = grantsOf(flow.handler).map((grant) => {
      const reason = uncaught[grant.sid];
      const caughtBy = reason
        ? `not caught: ${reason}`
        : `\`without ${grant.sid} the flow is denied one of its actions\``;
      return `| ${grant.sid} | ${grant.actions.join(", ")} | ${caughtBy} |`;
    });
    return [
      `### ${flow.handler}`,
      "",
      `Flow: ${flow.scenario}.`,
      "",
      "| grant (Sid) | actions | caught by |",
      "| --- | --- | --- |",
      ...rows,
    ].join("\n");
  });
  return `# Permissions: the removed-grant table

Each handler's role is proven by \`test/scenario/iam-removed-grants.test.ts\`: one small flow per handler
(\`test/support/removed-grant-flows.ts\`) runs once as rendered (no denial) and once per statement of the
role with that one statement removed; the test passes when the flow is then denied one of the
statement's actions. Describe \`<handler>'s role (<flow>)\` › \`without <Sid> the flow is denied one of its
actions\` is the test that caught each grant below.

Generated from the roles and the proof's \`uncaughtGrants\` (\`npx tsx scripts/generate-permissions-doc.ts\`);
a unit test fails while this file is out of date, and the proof fails if a row said "caught" is not.

${sections.join("\n\n")}

${renderResourceStatements()}
`;
}
