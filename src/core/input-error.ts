/**
 * A usage or input error that the CLI reports on one line and exits 2 for: a bad flag
 * value, a missing file, an unknown trace or variant name.
 */
export class InputError extends Error {}
