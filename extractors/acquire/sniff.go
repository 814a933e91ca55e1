package acquire

import (
	"bytes"
	"unicode/utf8"
)

// Media types Open reports.
const (
	TypePDF  = "application/pdf"
	TypeTIFF = "image/tiff"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeText = "text/plain"
)

// sniff names data's format from its content, never its file name. It
// returns "" when the format is unknown; other recognised but unsupported
// formats come back with a descriptive name (image/gif, ...) and the caller
// reports them as ErrUnsupported.
func sniff(data []byte) string {
	switch {
	case len(data) == 0:
		return ""
	case pdfHeader(data) == 0, pdfHeader(data) > 0 && !isText(data):
		// Leading junk before the header is tolerated, but a text file
		// that merely mentions "%PDF-" is text.
		return TypePDF
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")),
		bytes.HasPrefix(data, []byte("II+\x00")), bytes.HasPrefix(data, []byte("MM\x00+")): // BigTIFF: refused later
		return TypeTIFF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return TypeJPEG
	case bytes.HasPrefix(data, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")), bytes.HasPrefix(data, []byte("\xff\x4f\xff\x51")):
		return "image/jp2"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case bytes.HasPrefix(data, []byte("BM")) && len(data) > 14 && data[6] == 0 && data[7] == 0:
		return "image/bmp"
	case len(data) > 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP":
		return "image/webp"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "application/zip"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "application/x-ole-storage"
	case isText(data):
		return TypeText
	}
	return ""
}

// pdfHeader returns the offset of "%PDF-" within the first 1024 bytes
// (readers tolerate leading junk), or -1.
func pdfHeader(data []byte) int {
	head := data[:min(len(data), 1024)]
	return bytes.Index(head, []byte("%PDF-"))
}

// isText reports whether data looks like human text: UTF-8 (or UTF-16 with
// a byte-order mark) without NUL bytes and with few control characters.
// Only the first 64 KiB are examined.
func isText(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return len(data)%2 == 0
	}
	head := data[:min(len(data), 64<<10)]
	// A multi-byte rune may be cut at the end of the window.
	for i := 0; i < 3 && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if !utf8.Valid(head) {
		return false
	}
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v', c == 0x7f:
			ctl++
		}
	}
	return ctl*100 <= len(head) // at most 1% control characters
}

// DetectMediaType names data's format from its content: one of the Type*
// constants, another recognised but unsupported type, or "" when unknown.
func DetectMediaType(data []byte) string { return sniff(data) }
