// Package acquire turns the bytes of a document (PDF, TIFF, PNG, JPEG or
// plain text, sniffed from content) into page text: the PDF text layer where it
// is usable, and normalised page images for OCR where it is not.
package acquire
