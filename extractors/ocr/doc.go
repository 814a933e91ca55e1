// Package ocr runs Tesseract (through gosseract) in a pool of child processes
// of the appealdesk binary itself (`appealdesk ocr-worker`), so a crash, a hang
// or a native leak inside Tesseract or Leptonica costs one page, never the
// program. See the package documentation in pool.go for the design.
package ocr
