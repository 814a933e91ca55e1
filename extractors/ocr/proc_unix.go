//go:build unix

package ocr

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the child in its own process group, so a Ctrl-C on the
// terminal reaches the parent, which then stops its children in order.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
