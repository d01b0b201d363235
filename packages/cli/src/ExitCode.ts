// The CLI contract's exit codes.
export const ExitCode = {
  ok: 0,
  badInput: 1, // the spec, layout or reference is wrong
  usage: 2,
  environment: 3, // I/O or a missing tool
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
