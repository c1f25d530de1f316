// Errors the user can act on: printed as one line (never a stack trace) with a documented exit code.
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
