//go:build !unix

package pipeline

const openNonblock = 0

const openNoFollow = 0
