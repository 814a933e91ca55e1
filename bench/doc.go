// Command bench measures appealdesk side by side with the raw tools it
// replaces (tesseract, ocrmypdf, pdftotext) on inputs it generates itself,
// and writes BENCHMARKS.md. Run it through bench/run.sh; see BENCHMARKS.md.
package main
