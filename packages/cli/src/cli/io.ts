/** Where a command writes and what it knows about the terminal; `main.ts` builds it from the process. */
export interface CliIo {
  /** results: tables, JSON, the timeline */
  out(text: string): void;
  /** progress, warnings and errors, so stdout stays parseable */
  err(text: string): void;
  /** true when stdout is a terminal and NO_COLOR is unset */
  color: boolean;
  /** the working directory relative paths resolve against */
  cwd: string;
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;

/** A named ANSI style. */
export type Style = keyof typeof codes;

/** Styles text when colour is on, returns it unchanged otherwise. */
export function paint(io: Pick<CliIo, "color">, style: Style, text: string): string {
  if (!io.color) return text;
  const [open, close] = codes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org: any value). */
export function colorWanted(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

/** Writes one progress line to stderr (long operations say what they are doing). */
export function progress(io: CliIo, message: string): void {
  io.err(`${paint({ color: io.color }, "dim", "…")} ${message}\n`);
}

/** Length of text as the terminal shows it (ANSI codes take no room). */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition
  return text.replace(/\u001b\[\d+m/g, "").length;
}
