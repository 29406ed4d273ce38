/** The message attribute team subscriptions filter on (set by the SNS notifier for every message). */
export const teamAttribute = "team";

/** The filter policy (scope MessageAttributes) of one team's subscription, as the stack renders it. */
export function teamFilterPolicy(team: string): string {
  return JSON.stringify({ [teamAttribute]: [team] });
}
