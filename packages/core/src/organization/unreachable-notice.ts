import { type Notification, subjectLine } from "../notifications/notification";
import type { UnreachableConsumer } from "./gather-evidence";

/** The operator's one notice per sweep: the consumer accounts that could not be checked, and why. */
export function consumersUnreachableNotification(
  unreachable: readonly UnreachableConsumer[],
  now: Date,
): Notification {
  const accounts = [...new Set(unreachable.map((entry) => entry.account))];
  const lines = unreachable.map(
    (entry) =>
      `${entry.account}${entry.region ? ` in ${entry.region}` : ""}: ${entry.reason} (${entry.message})`,
  );
  return {
    eventType: "consumers-unreachable",
    family: "(organization)",
    team: "operator",
    severity: "warning",
    region: unreachable.find((entry) => entry.region)?.region ?? "",
    subject: subjectLine(
      `${accounts.length} consumer account(s) could not be checked: ${accounts.join(", ")}`,
    ),
    body:
      "Every candidate version these accounts could use was kept. Deploy or fix the consumer role " +
      `(see the README's organization setup):\n${lines.join("\n")}`,
    detail: {
      eventType: "consumers-unreachable",
      accounts,
      unreachable: unreachable.map((entry) => ({ ...entry })),
      checkedAt: now.toISOString(),
    },
  };
}
