package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unfiled is the case of a document whose folder name holds nothing usable
// (and, later, of a top-level file that matches no case).
const Unfiled = "unfiled"

// maxCaseName is the longest case name CaseName returns, in bytes (the
// result is ASCII, so also in characters).
const maxCaseName = 64

// CaseName sanitises a folder name into a case name: lower-case ASCII
// letters, digits, '-' and '_' only; Latin accented letters lose their
// accent (é → e, ß → ss); every other run of characters becomes one '-';
// leading and trailing '-' and '_' are trimmed; at most 64 characters.
// The result is never empty, never "." or "..", and never contains a path
// separator, so it can never escape the data directory when used as a path
// element.
//
// A name with no letters or digits at all (empty, "..", "---") becomes
// "unfiled". A name made only of letters or digits that have no ASCII form
// (日本語, Ελένη) becomes "case-" and 12 hex digits of its SHA-256, so two
// such folders stay two cases instead of merging into "unfiled".
func CaseName(folder string) string {
	var b strings.Builder
	b.Grow(min(len(folder), maxCaseName+8))
	dash := false       // a separator is owed before the next kept character
	meaningful := false // folder holds at least one letter or digit
	emit := func(s string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	for _, r := range folder {
		if b.Len() >= maxCaseName {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			meaningful = true
			emit(string(r))
		case r >= 'A' && r <= 'Z':
			meaningful = true
			emit(string(r + ('a' - 'A')))
		case r == '_':
			emit("_")
		case r == '-':
			dash = true
		case r == utf8.RuneError:
			dash = true
		case unicode.Is(unicode.Mn, r):
			// Combining mark (decomposed "é" = "e" + U+0301): drop it so that
			// NFC and NFD spellings of a folder give the same case.
		default:
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				meaningful = true
				if f, ok := foldLatin(r); ok {
					emit(f)
					continue
				}
			}
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxCaseName {
		s = s[:maxCaseName]
	}
	s = strings.Trim(s, "-_")
	if s == "" {
		if !meaningful {
			return Unfiled
		}
		sum := sha256.Sum256([]byte(folder))
		return "case-" + hex.EncodeToString(sum[:6])
	}
	return s
}

// foldLatin maps a Latin letter with a diacritic (or a ligature) to its
// plain ASCII spelling. It covers Latin-1 and Latin Extended-A, which is
// what names on US insurance paperwork use.
func foldLatin(r rune) (string, bool) {
	r = unicode.ToLower(r)
	switch r {
	case 'ß':
		return "ss", true
	case 'æ':
		return "ae", true
	case 'œ':
		return "oe", true
	case 'ø':
		return "o", true
	case 'ð':
		return "d", true
	case 'þ':
		return "th", true
	case 'ł':
		return "l", true
	case 'đ':
		return "d", true
	case 'ı':
		return "i", true
	case 'ĳ':
		return "ij", true
	}
	for base, set := range latinFold {
		if strings.ContainsRune(set, r) {
			return string(base), true
		}
	}
	return "", false
}

// latinFold lists, for each ASCII base letter, its lower-case accented forms.
var latinFold = map[rune]string{
	'a': "àáâãäåāăą",
	'c': "çćĉċč",
	'd': "ď",
	'e': "èéêëēĕėęě",
	'g': "ĝğġģ",
	'h': "ĥħ",
	'i': "ìíîïĩīĭįı",
	'j': "ĵ",
	'k': "ķ",
	'l': "ĺļľŀ",
	'n': "ñńņňŉ",
	'o': "òóôõöōŏő",
	'r': "ŕŗř",
	's': "śŝşšſ",
	't': "ţťŧ",
	'u': "ùúûüũūŭůűų",
	'w': "ŵ",
	'y': "ýÿŷ",
	'z': "źżž",
}

// Ignored reports whether a file or directory name (one path element, not a
// path) is hidden or temporary and must be skipped until it is renamed:
// dotfiles (.DS_Store, .~lock.x#, .git, ._x resource forks), partial
// downloads (*.part, *.crdownload, *.download, *.partial), *.tmp, Office
// owner files (~$x.docx), editor backups (x~), Thumbs.db / desktop.ini, and
// the folders file servers keep beside the real files: recycle bins,
// snapshots and thumbnail caches (#recycle, @eaDir, $RECYCLE.BIN,
// System Volume Information, lost+found), whose contents are deleted or
// derived copies, not new paperwork.
func Ignored(name string) bool {
	if name == "" || name == "." || name == ".." {
		return true
	}
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, "~") {
		return true
	}
	lower := strings.ToLower(name)
	switch lower {
	case "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r",
		"#recycle", "#snapshot", "@eadir", "@recycle", "$recycle.bin",
		"system volume information", "lost+found":
		return true
	}
	for _, suf := range ignoredSuffixes {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// ignoredSuffixes are the extensions of files still being written by a
// browser, downloader or copier.
var ignoredSuffixes = []string{".part", ".crdownload", ".download", ".partial", ".tmp", ".temp", ".swp"}
