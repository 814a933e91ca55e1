// Package acquire turns the bytes of a document (PDF, TIFF, PNG, JPEG or
// plain text, recognised from content, never the file name) into page text:
// the PDF text layer where it is usable, and normalised page images for OCR
// where it is not.
//
// PDF text is rebuilt from positioned glyphs (lines by baseline, words by
// gaps), because the PDF library's own text calls merge lines; glyphs of
// simple fonts the library decodes with the wrong encoding (unembedded
// standard fonts with no /Encoding are StandardEncoding) are corrected. A page whose
// text layer is empty or junk is OCR'd from its single embedded image,
// decoded here (JPEG, CCITT G3/G4, Flate or raw samples with predictors,
// colour spaces, /Decode, image masks; JPEG 2000 passed to Leptonica as is)
// and oriented by the image's placement and the page's /Rotate. Anything
// else (JBIG2, inline images, images inside forms, vector-drawn text) is
// rendered with poppler's pdftoppm in a child process with a timeout;
// AES-256 files, which the PDF library cannot decrypt, are read through
// pdftotext. poppler-utils is therefore an optional runtime dependency:
// without it those pages get a warning instead of text.
//
// Page images are normalised for Tesseract: 8-bit gray, dark on light,
// about 300 dpi with each axis scaled by its own resolution (204x98 dpi
// faxes), bilevel pages despeckled, deskewed (see deskew.go for the
// measurement), gray pages cropped to their ink plus a band of paper
// (crop.go), blank pages skipped. Every limit (file size, pages, pixels checked from headers before
// decoding) is enforced before the work it bounds, and a panic in the PDF
// library costs the page or the document, never the process.
package acquire
