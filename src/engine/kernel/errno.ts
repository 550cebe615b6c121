/** Negative errno values the kernel API returns. */
export const EINTR = -4
export const ENOENT = -2
export const EBUSY = -16
export const EEXIST = -17
export const EWOULDBLOCK = -11

const NAMES: Readonly<Partial<Record<number, string>>> = {[EINTR]: 'EINTR', [ENOENT]: 'ENOENT', [EBUSY]: 'EBUSY', [EEXIST]: 'EEXIST', [EWOULDBLOCK]: 'EWOULDBLOCK'}

/** A syscall's return value as a log shows it: `0`, or `-16 (EBUSY)` for a known errno. */
export function returnText(ret: number): string {
  const name = NAMES[ret]
  return name === undefined ? String(ret) : `${ret} (${name})`
}
