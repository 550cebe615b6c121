/** Negative errno values the kernel API returns. */
export const EINTR = -4
export const ENOENT = -2
export const EBUSY = -16
export const EEXIST = -17
export const EWOULDBLOCK = -11
