package acquire

import "testing"

// TestDocumentSize: Size counts at least the file, and the text and content
// streams a PDF keeps, so a cache of opened documents can bound itself.
func TestDocumentSize(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"page.png", "multi.tif", "scan-jpeg.pdf", "text-gs.pdf"} {
		data := fixture(t, name)
		d, err := Open(data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := int64(len(data))
		for _, p := range d.Pages {
			want += int64(len(p.Text))
		}
		if d.pdf != nil {
			var content int64
			for _, info := range d.pdf.info {
				content += int64(len(info.content))
			}
			if content == 0 {
				t.Errorf("%s: no content streams kept; the test checks nothing of them", name)
			}
			want += content
		}
		if got := d.Size(); got != want {
			t.Errorf("%s: Size() = %d, want %d (file, text and content streams)", name, got, want)
		}
	}
	if got := (&Document{}).Size(); got != 0 {
		t.Errorf("empty document: Size() = %d", got)
	}
}
