//go:build !unix

package ocr

import "os/exec"

func setProcAttr(cmd *exec.Cmd) {}
