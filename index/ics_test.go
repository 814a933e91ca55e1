package index

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func icsItems(t *testing.T) []DeadlineItem {
	t.Helper()
	x := openTest(t)
	items, err := x.Deadlines(context.Background(), DeadlineRequest{Today: "2026-06-15", All: true})
	if err != nil {
		t.Fatal(err)
	}
	// A long, non-ASCII basis with every character TEXT must escape.
	items[0].Basis = strings.Repeat("Sí, usted puede apelar; dentro de 60 días, \\ “desde la fecha” de este aviso.\n", 3)
	return items
}

func TestWriteICSFormat(t *testing.T) {
	items := icsItems(t)
	var buf bytes.Buffer
	stamp := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	if err := WriteICS(&buf, items, stamp); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") {
		t.Error("calendar does not end with END:VCALENDAR CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8Valid(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i, l)
		}
	}

	cal, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("golang-ical: %v", err)
	}
	evs := cal.Events()
	if len(evs) != len(items) {
		t.Fatalf("%d events, want %d", len(evs), len(items))
	}
	for i, ev := range evs {
		d := items[i]
		if ev.Id() != ICSUID(d) {
			t.Errorf("event %d uid %q", i, ev.Id())
		}
		start := ev.GetProperty(ics.ComponentPropertyDtStart)
		if start == nil || start.Value != strings.ReplaceAll(d.Due, "-", "") {
			t.Errorf("event %d DTSTART %+v, want %s", i, start, d.Due)
		}
		if v := start.ICalParameters["VALUE"]; len(v) != 1 || v[0] != "DATE" {
			t.Errorf("event %d not all-day: %v", i, start.ICalParameters)
		}
		if len(ev.Alarms()) != 3 {
			t.Errorf("event %d has %d alarms", i, len(ev.Alarms()))
		}
		if ev.GetProperty(ics.ComponentPropertyDtstamp).Value != "20260615T120000Z" {
			t.Errorf("event %d DTSTAMP", i)
		}
	}
	desc := evs[0].GetProperty(ics.ComponentPropertyDescription).Value
	if !strings.Contains(desc, `apelar; dentro de 60 días, \ “desde`) {
		t.Errorf("escaped description not kept through folding: %q", desc)
	}

	// Stable UIDs: exporting again gives the same events.
	var again bytes.Buffer
	if err := WriteICS(&again, items, stamp); err != nil {
		t.Fatal(err)
	}
	if again.String() != raw {
		t.Error("re-export differs")
	}
	seen := map[string]bool{}
	for _, d := range items {
		if seen[ICSUID(d)] {
			t.Errorf("duplicate uid for %+v", d)
		}
		seen[ICSUID(d)] = true
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// TestWriteICSPython checks the export with a second, independent parser
// (Debian's python3-icalendar) when it is installed.
func TestWriteICSPython(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if err := exec.Command(py, "-c", "import icalendar").Run(); err != nil {
		t.Skip("python3-icalendar not installed")
	}
	items := icsItems(t)
	path := filepath.Join(t.TempDir(), "d.ics")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteICS(f, items, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	script := `
import sys, icalendar, datetime
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    d = ev.decoded('DTSTART')
    assert isinstance(d, datetime.date) and not isinstance(d, datetime.datetime), d
    trig = sorted(-a.decoded('TRIGGER').days for a in ev.walk('VALARM'))
    print(ev['UID'], d.isoformat(), trig, str(ev['DESCRIPTION']).count('\n'))
`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python icalendar: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(items) {
		t.Fatalf("python saw %d events, want %d:\n%s", len(lines), len(items), out)
	}
	for i, l := range lines {
		f := strings.Fields(l)
		if f[0] != ICSUID(items[i]) || f[1] != items[i].Due || !strings.Contains(l, "[2, 7, 14]") {
			t.Errorf("event %d: %s", i, l)
		}
	}
	if !strings.HasSuffix(lines[0], " 5") { // the basis's inner newlines survive escaping
		t.Errorf("description newlines lost: %s", lines[0])
	}
}
