package ocr

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of request images
	_ "image/png"
	"io"
	"strings"

	"github.com/otiai10/gosseract/v2"
	_ "golang.org/x/image/tiff"
)

// ServeWorker is the body of the hidden `appealdesk ocr-worker` subcommand:
// it reads framed requests on in, answers on out, and reuses one gosseract
// client. It returns nil when in reaches EOF (the pool closed the pipe or
// died), and an error when the pipe protocol breaks.
//
// The process running it must have been started with OMP_THREAD_LIMIT=1 in
// its environment (the Pool does this); libgomp reads it only at load time.
func ServeWorker(ctx context.Context, in io.Reader, out io.Writer, languages string) error {
	if languages == "" {
		languages = DefaultLanguages
	}
	client := gosseract.NewClient()
	defer client.Close()
	if err := client.SetLanguage(strings.Split(languages, "+")...); err != nil {
		return fmt.Errorf("ocr worker: set language: %w", err)
	}
	// Fully automatic page segmentation, as the tesseract command uses:
	// the API's own default is a single uniform block of text (PSM 6).
	if err := client.SetVariable("tessedit_pageseg_mode", "3"); err != nil {
		return fmt.Errorf("ocr worker: set page segmentation mode: %w", err)
	}
	br := bufio.NewReaderSize(in, 64<<10)
	bw := bufio.NewWriter(out)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		img, err := readFrame(br, MaxImageBytes)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ocr worker: read request: %w", err)
		}
		resp := recognize(client, img)
		b, err := json.Marshal(resp)
		if err != nil {
			return fmt.Errorf("ocr worker: encode response: %w", err)
		}
		if err := writeFrame(bw, b); err != nil {
			return fmt.Errorf("ocr worker: write response: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("ocr worker: write response: %w", err)
		}
	}
}

// recognize runs one recognition pass over img. GetBoundingBoxesVerbose is
// the only output call: each gosseract output call re-runs the whole OCR, and
// this one gives words, confidences and block/paragraph/line numbers at once.
func recognize(client *gosseract.Client, img []byte) response {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	switch {
	case err != nil && isJPEG2000(img):
		// No Go decoder: Leptonica reads it; the sender checked the
		// dimensions (a PDF's /Width and /Height).
		cfg = image.Config{Width: 1, Height: 1}
	case err != nil:
		return response{Error: "decode image header: " + err.Error(), BadImage: true}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return response{Error: fmt.Sprintf("image %dx%d is empty or exceeds %d pixels", cfg.Width, cfg.Height, MaxImagePixels), BadImage: true}
	}
	if err := client.SetImageFromBytes(img); err != nil {
		return response{Error: "set image: " + err.Error(), BadImage: true}
	}
	boxes, err := client.GetBoundingBoxesVerbose()
	if err != nil {
		return response{Error: "recognize: " + err.Error()}
	}
	w := make([]word, len(boxes))
	for i, b := range boxes {
		w[i] = word{Text: b.Word, Conf: b.Confidence, Block: b.BlockNum, Par: b.ParNum, Line: b.LineNum}
	}
	t := assemble(w)
	return response{Text: t.Text, Confidence: t.Confidence, Words: t.Words}
}

// word is one recognized word with its layout position.
type word struct {
	Text             string
	Conf             float64
	Block, Par, Line int
}

// assemble rebuilds page text from words in Tesseract's reading order: a
// space between words, "\n" between lines, "\n\n" between paragraphs and
// blocks. Confidence is the mean over words that carry one (>= 0).
func assemble(words []word) Text {
	var sb strings.Builder
	var sum float64
	var n, counted int
	prev := word{Block: -1}
	for _, w := range words {
		t := strings.TrimSpace(w.Text)
		if t == "" {
			continue
		}
		if n > 0 {
			switch {
			case w.Block != prev.Block || w.Par != prev.Par:
				sb.WriteString("\n\n")
			case w.Line != prev.Line:
				sb.WriteByte('\n')
			default:
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(t)
		n++
		if w.Conf >= 0 {
			sum += w.Conf
			counted++
		}
		prev = w
	}
	out := Text{Text: sb.String(), Words: n}
	if counted > 0 {
		out.Confidence = sum / float64(counted)
	}
	return out
}

// isJPEG2000 recognises a JP2 file or a raw JPEG 2000 codestream.
func isJPEG2000(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")) || bytes.HasPrefix(b, []byte("\xff\x4f\xff\x51"))
}
