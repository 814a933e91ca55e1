package ocr

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// The pipe protocol between Pool and ServeWorker. Every frame is a 4-byte
// big-endian length followed by that many bytes. A request is one frame
// holding the image bytes; a response is one frame holding a JSON response.

type response struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
	Words      int     `json:"words"`
	Error      string  `json:"error,omitempty"`
	BadImage   bool    `json:"bad_image,omitempty"`
}

// writeFrame writes one length-prefixed frame.
func writeFrame(w io.Writer, b []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(b)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

// readFrame reads one frame of at most max bytes. It returns io.EOF only
// when the stream ends cleanly before a frame starts.
func readFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("%w: truncated frame header", ErrProtocol)
		}
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if int64(n) > int64(max) {
		return nil, fmt.Errorf("%w: frame of %d bytes exceeds %d", ErrProtocol, n, max)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: truncated frame: %v", ErrProtocol, err)
	}
	return b, nil
}

func decodeResponse(b []byte) (response, error) {
	var r response
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%w: bad response: %v", ErrProtocol, err)
	}
	return r, nil
}
