import { detailSeparator, formatMessage, snsSubject } from "@ami-lifecycle/aws";
import { describe, expect, it } from "vitest";

describe("snsSubject", () => {
  it("keeps a short one-line subject as it is", () => {
    expect(snsSubject("web v7 available")).toBe("web v7 available");
  });

  it("never returns an empty subject, which SNS rejects", () => {
    expect(snsSubject(" \n\t ")).toBe("ami-lifecycle notification");
  });

  it("does not split a surrogate pair when cutting", () => {
    // Prepare
    const text = `${"a".repeat(97)}😀😀`;

    // Act
    const subject = snsSubject(text);

    // Assess
    expect(subject).toBe(`${"a".repeat(97)}…`);
  });
});

describe("formatMessage", () => {
  it("indents the detail when it fits and falls back to compact JSON when only that fits", () => {
    // Prepare
    const detail = { images: ["ami-1", "ami-2"], family: "web" };
    const head = `body\n\n${detailSeparator}\n`;
    const compact = JSON.stringify(detail);

    // Act
    const roomy = formatMessage("body", detail, 10_000);
    const tight = formatMessage("body", detail, Buffer.byteLength(head) + compact.length);

    // Assess
    expect(roomy).toBe(head + JSON.stringify(detail, null, 2));
    expect(tight).toBe(head + compact);
  });

  it("keeps the message within the budget counting multi-byte characters", () => {
    // Prepare
    const detail = { text: 'é"'.repeat(5000) };

    // Act
    const message = formatMessage("body", detail, 2000);

    // Assess
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(2000);
    const parsed = JSON.parse(message.slice(message.indexOf(detailSeparator) + detailSeparator.length + 1));
    expect(parsed.truncated).toBe(true);
    expect(JSON.stringify(detail).startsWith(parsed.detailPrefix)).toBe(true);
  });
});
