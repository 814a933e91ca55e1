package ocr

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tessdataDirs are where Tesseract's language data usually lives; the
// first that exists is checked.
func tessdataDirs() []string {
	var dirs []string
	if p := os.Getenv("TESSDATA_PREFIX"); p != "" {
		dirs = append(dirs, p, filepath.Join(p, "tessdata"))
	}
	return append(dirs,
		"/usr/share/tesseract-ocr/5/tessdata",
		"/usr/share/tesseract-ocr/4.00/tessdata",
		"/usr/share/tessdata",
		"/usr/local/share/tessdata",
		"/opt/homebrew/share/tessdata",
	)
}

// checkLanguages reports languages whose traineddata is missing from the
// first tessdata directory found. When none is found it cannot tell and
// returns nil (Tesseract may have a compiled-in path).
func checkLanguages(languages string) error {
	for _, dir := range tessdataDirs() {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		var missing []string
		for _, l := range strings.Split(languages, "+") {
			if _, err := os.Stat(filepath.Join(dir, l+".traineddata")); err != nil {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%w: no Tesseract data for %s in %s (install tesseract-ocr-%s)",
				ErrNoLanguage, strings.Join(missing, ", "), dir, missing[0])
		}
		return nil
	}
	return nil
}
