package pipeline_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/appealdesk/appealdesk/pipeline"
)

func ExampleCaseName() {
	for _, folder := range []string{"Jane Doe 2026", "José García (appeal)", "../../etc", "", "日本 太郎"} {
		fmt.Printf("%q → %s\n", folder, pipeline.CaseName(folder))
	}
	// Output:
	// "Jane Doe 2026" → jane-doe-2026
	// "José García (appeal)" → jose-garcia-appeal
	// "../../etc" → etc
	// "" → unfiled
	// "日本 太郎" → case-40363c6870fe
}

func ExampleIgnored() {
	for _, name := range []string{"denial.pdf", "denial.pdf.part", ".DS_Store", "~$letter.docx", "@eaDir"} {
		fmt.Println(name, pipeline.Ignored(name))
	}
	// Output:
	// denial.pdf false
	// denial.pdf.part true
	// .DS_Store true
	// ~$letter.docx true
	// @eaDir true
}

func ExampleWatch() {
	inbox, _ := os.MkdirTemp("", "inbox")
	defer os.RemoveAll(inbox)
	_ = os.MkdirAll(filepath.Join(inbox, "Jane Doe 2026"), 0o700)
	_ = os.WriteFile(filepath.Join(inbox, "Jane Doe 2026", "denial.pdf"), []byte("%PDF-1.7"), 0o600)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out := make(chan pipeline.Arrival)
	go func() {
		_ = pipeline.Watch(ctx, pipeline.WatchOptions{Inbox: inbox, Settle: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}, out)
	}()
	a := <-out // the file present at start, once it has settled
	fmt.Println(a.Rel, a.Case, a.Size)
	// Output:
	// Jane Doe 2026/denial.pdf jane-doe-2026 8
}
