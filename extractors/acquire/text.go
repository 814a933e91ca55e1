package acquire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// openText splits a plain-text file into pages at form feeds.
func openText(data []byte, lim Limits) (*Document, error) {
	s, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	parts := strings.Split(s, "\f")
	if len(parts) > 1 && strings.TrimSpace(parts[len(parts)-1]) == "" {
		parts = parts[:len(parts)-1] // a trailing form feed ends the last page
	}
	if len(parts) > lim.MaxPages {
		return nil, fmt.Errorf("%w: %d pages exceeds the limit of %d", ErrTooLarge, len(parts), lim.MaxPages)
	}
	d := &Document{MediaType: TypeText}
	for i, p := range parts {
		d.Pages = append(d.Pages, Page{Number: i + 1, Text: p})
	}
	return d, nil
}

// decodeText returns data as valid UTF-8: UTF-16 with a byte-order mark is
// converted, a UTF-8 BOM dropped, invalid sequences replaced by U+FFFD.
func decodeText(data []byte) (string, error) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		order = binary.BigEndian
	}
	if order != nil {
		b := data[2:]
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = order.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u)), nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	return strings.ToValidUTF8(string(data), "\uFFFD"), nil
}
