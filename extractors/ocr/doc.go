// Package ocr runs Tesseract (through gosseract) in a pool of child processes
// of the appealdesk binary itself, so a crash, a hang or a native leak inside
// Tesseract or Leptonica costs one page, never the program.
//
// Design. A Pool starts up to Workers children, each `appealdesk ocr-worker
// --lang L` (PoolOptions.Exe and Args), lazily and one at a time, with
// OMP_THREAD_LIMIT=1 in their environment: libgomp reads that variable only
// when Tesseract is loaded, so setting it from inside a running process does
// not work, and without it Tesseract's OpenMP threads make a page ~7x slower
// on a small machine. Each child holds one gosseract client, reused for every
// page, and speaks a tiny protocol on its stdin/stdout: a request is one
// length-prefixed frame holding the image bytes, the answer one frame of JSON
// (text, mean word confidence, word count, error). The child makes exactly
// one recognition call per page (GetBoundingBoxesVerbose, which yields words,
// confidences and block/paragraph/line numbers; every gosseract output call
// re-runs the whole OCR) and rebuilds the text from the layout numbers.
// Before Leptonica sees an image the child checks its header and refuses
// images over MaxImagePixels. The child's stdout is kept for the protocol
// only: anything native code prints to fd 1 is sent to stderr instead.
//
// Failure handling. Recognize gives a child the page and waits at most
// PageTimeout (or the caller's deadline); on timeout the child is killed and
// the error wraps ErrTimeout. A child that dies mid-page (SIGSEGV in
// Leptonica, out of memory) yields ErrWorkerCrashed with its exit status and
// the tail of its stderr; the next page gets a fresh child. Because gosseract
// leaks the strings it returns (~100 KB per page), a child is retired after
// RecycleAfter pages and replaced on demand. Children's stderr is kept as a
// short tail for error messages and never logged as is: it may echo document
// content.
package ocr
