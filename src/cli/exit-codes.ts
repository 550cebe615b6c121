/** Exit codes: 0 success, 1 a failed check, 2 a usage or input error. */
export const EXIT_FAILED = 1
export const EXIT_INPUT = 2
