//go:build !unix

package pipeline

const openNonblock = 0
