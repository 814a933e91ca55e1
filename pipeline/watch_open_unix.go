//go:build unix

package pipeline

import "syscall"

// openNonblock keeps open(2) of a FIFO from waiting for a writer; it has no
// effect on reads of a regular file.
const openNonblock = syscall.O_NONBLOCK

// openNoFollow makes open(2) fail on a symbolic link instead of following it.
const openNoFollow = syscall.O_NOFOLLOW
