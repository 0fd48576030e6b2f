/** How commands report progress; the CLI decides where it goes. */
export interface Output {
  /** One line of progress (a step, a warning about waiting). */
  line(text: string): void;
  warn(text: string): void;
}

/** Output that goes nowhere (library callers that only want the result). */
export const quietOutput: Output = { line() {}, warn() {} };
