// Package eval measures appealdesk's accuracy against labelled documents:
// it loads the labels of testdata/corpus (or of the public real documents),
// runs text acquisition and extraction, and scores every field with
// precision and recall, separately for text PDFs, scans and real documents.
package eval
