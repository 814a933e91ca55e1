package index

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ICSProdID is the PRODID of exported calendars.
const ICSProdID = "-//appealdesk//appeal deadlines//EN"

// alarmDays are the reminders each deadline event carries.
var alarmDays = []int{14, 7, 2}

// ICSUID is the stable UID of a deadline's event: derived from the
// document id, action and due date, so exporting again updates the event
// in a calendar instead of adding a duplicate.
func ICSUID(d DeadlineItem) string {
	sum := sha256.Sum256([]byte(d.Doc + "\x00" + d.Action + "\x00" + d.Due))
	return hex.EncodeToString(sum[:16]) + "@appealdesk"
}

// WriteICS writes deadlines as an RFC 5545 calendar: one all-day event on
// each due date with alarms 14, 7 and 2 days before, CRLF line endings,
// lines folded at 75 octets and TEXT values escaped. stamp is the DTSTAMP.
func WriteICS(w io.Writer, items []DeadlineItem, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", ICSProdID)
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", "Appeal deadlines")
	ds := stamp.UTC().Format("20060102T150405Z")
	for _, d := range items {
		due, err := time.Parse(dateLayout, d.Due)
		if err != nil {
			return fmt.Errorf("ics: deadline %s of %s: bad due date %q", d.Action, d.Doc, d.Due)
		}
		action := humanAction(d.Action)
		summary := fmt.Sprintf("Deadline: %s (%s)", action, d.Case)
		var desc strings.Builder
		fmt.Fprintf(&desc, "%s due %s for case %s.\n", capitalize(action), d.Due, d.Case)
		if b := strings.TrimSpace(d.Basis); b != "" {
			fmt.Fprintf(&desc, "Basis (%s): %s\n", d.Source, b)
		}
		if d.Citation != "" {
			fmt.Fprintf(&desc, "Citation: %s\n", d.Citation)
		}
		if d.File != "" {
			fmt.Fprintf(&desc, "Source document: %s", d.File)
			if d.Page > 0 {
				fmt.Fprintf(&desc, " (page %d)", d.Page)
			}
			desc.WriteString("\n")
		}
		fmt.Fprintf(&desc, "Document id: %s", d.Doc)
		line("BEGIN", "VEVENT")
		line("UID", ICSUID(d))
		line("DTSTAMP", ds)
		writeFolded(bw, "DTSTART;VALUE=DATE:"+due.Format("20060102"))
		writeFolded(bw, "DTEND;VALUE=DATE:"+due.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY", icsEscape(summary))
		line("DESCRIPTION", icsEscape(desc.String()))
		line("CATEGORIES", "APPEAL DEADLINE")
		line("TRANSP", "TRANSPARENT")
		for _, n := range alarmDays {
			line("BEGIN", "VALARM")
			line("ACTION", "DISPLAY")
			line("DESCRIPTION", icsEscape(fmt.Sprintf("%s due in %d days (%s)", capitalize(action), n, d.Case)))
			line("TRIGGER", fmt.Sprintf("-P%dD", n))
			line("END", "VALARM")
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ics: %w", err)
	}
	return nil
}

// icsEscape escapes a TEXT value (RFC 5545 §3.3.11).
func icsEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteByte(' ') // control characters are not allowed in TEXT
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line folded at 75 octets (RFC 5545 §3.1),
// never inside a UTF-8 sequence, ending in CRLF.
func writeFolded(w *bufio.Writer, s string) {
	const limit = 75
	first := true
	for len(s) > 0 {
		max := limit
		if !first {
			max = limit - 1 // the leading space counts
			w.WriteByte(' ')
		}
		n := len(s)
		if n > max {
			n = max
			for n > 0 && !utf8.RuneStart(s[n]) {
				n--
			}
		}
		w.WriteString(s[:n])
		w.WriteString("\r\n")
		s = s[n:]
		first = false
	}
}

func humanAction(a string) string {
	if a == "" {
		return "action"
	}
	return strings.ReplaceAll(a, "_", " ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
