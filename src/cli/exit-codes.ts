/** Exit codes: 0 success, 1 a finding, a failed check or a difference (explore, check, diff), 2 a usage or input error. */
export const EXIT_FAILED = 1
export const EXIT_INPUT = 2
