package acquire

import "github.com/appealdesk/appealdesk/extractors/ocr"

type ocrText = ocr.Text
