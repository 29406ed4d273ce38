/** Drops the `arn:aws:service:region:account:` prefix of every ARN in a message, for compact reasons. */
export function shortArns(message: string): string {
  return message.replace(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:/g, "");
}
