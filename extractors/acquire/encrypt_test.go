package acquire

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// pdfPad is the password padding string of the standard security handler.
var pdfPad = []byte("\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a")

func padPW(pw string) []byte { return append([]byte(pw), pdfPad...)[:32] }

func rc4Crypt(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// encObj is an object for buildAESPDF: a dictionary, and stream data when
// it is a stream.
type encObj struct {
	dict string
	data []byte
}

// buildAESPDF writes a PDF encrypted with the standard security handler,
// revision 4, AES-128 (AESV2), per ISO 32000-1 §7.6.3 algorithms 2, 3 and 5.
// Objects must not contain strings (only streams are encrypted here).
func buildAESPDF(userPW, ownerPW string, objs ...encObj) []byte {
	const perms = int32(-3904)
	id := []byte("0123456789abcdef")
	// Algorithm 3: O.
	h := md5.Sum(padPW(ownerPW))
	for range 50 {
		h = md5.Sum(h[:])
	}
	o := padPW(userPW)
	for i := range 20 {
		k := make([]byte, 16)
		for j := range k {
			k[j] = h[j] ^ byte(i)
		}
		o = rc4Crypt(k, o)
	}
	// Algorithm 2: the file key.
	var in bytes.Buffer
	in.Write(padPW(userPW))
	in.Write(o)
	binary.Write(&in, binary.LittleEndian, perms)
	in.Write(id)
	key := md5.Sum(in.Bytes())
	for range 50 {
		key = md5.Sum(key[:])
	}
	// Algorithm 5: U.
	u0 := md5.Sum(append(append([]byte{}, pdfPad...), id...))
	u := u0[:]
	for i := range 20 {
		k := make([]byte, 16)
		for j := range k {
			k[j] = key[j] ^ byte(i)
		}
		u = rc4Crypt(k, u)
	}
	u = append(u, make([]byte, 16)...)

	var b bytes.Buffer
	b.WriteString("%PDF-1.6\n")
	offs := make([]int, 0, len(objs)+1)
	for i, ob := range objs {
		num := i + 1
		offs = append(offs, b.Len())
		if ob.data == nil {
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", num, ob.dict)
			continue
		}
		// Object key: MD5(key, num, gen, "sAlT"); AES-128-CBC, IV first.
		okIn := append(append([]byte{}, key[:]...), byte(num), byte(num>>8), byte(num>>16), 0, 0)
		ok := md5.Sum(append(okIn, "sAlT"...))
		blk, _ := aes.NewCipher(ok[:])
		pad := 16 - len(ob.data)%16
		plain := append(append([]byte{}, ob.data...), bytes.Repeat([]byte{byte(pad)}, pad)...)
		iv := []byte("fedcba9876543210")
		enc := make([]byte, len(plain))
		cipher.NewCBCEncrypter(blk, iv).CryptBlocks(enc, plain)
		data := append(iv, enc...)
		fmt.Fprintf(&b, "%d 0 obj\n<< %s /Length %d >>\nstream\n%s\nendstream\nendobj\n", num, ob.dict, len(data), data)
	}
	encNum := len(objs) + 1
	offs = append(offs, b.Len())
	fmt.Fprintf(&b, "%d 0 obj\n<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF /O <%x> /U <%x> /P %d >>\nendobj\n", encNum, o, u, perms)
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", encNum+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Encrypt %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n", encNum+1, encNum, id, id, x)
	return b.Bytes()
}

func TestAES128(t *testing.T) {
	t.Parallel()
	objs := []encObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"},
		{dict: "", data: []byte("BT /F1 12 Tf 72 720 Td (Claim E1234567890 denied) Tj ET")},
		{dict: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"},
	}
	d, err := Open(buildAESPDF("", "owner", objs...), Limits{})
	if err != nil {
		t.Fatalf("owner password only: %v", err)
	}
	if got := d.Pages[0].Text; got != "Claim E1234567890 denied" {
		t.Errorf("owner password only: text %q", got)
	}
	_, err = Open(buildAESPDF("secret", "owner", objs...), Limits{})
	if !errors.Is(err, ErrEncrypted) {
		t.Errorf("user password: err=%v, want ErrEncrypted", err)
	}
}

// TestAES256 covers what the PDF library cannot decrypt: poppler reads an
// owner-password-only AES-256 file; a user password is an error.
func TestAES256(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	d, err := Open(fixture(t, "enc-owner-aes256.pdf"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Pages) != 2 || d.Pages[0].Text != gsPage1 || d.Pages[1].Text != gsPage2 {
		t.Errorf("owner-only AES-256: %+v", d.Pages)
	}
	if _, err := Open(fixture(t, "enc-user-aes256.pdf"), Limits{}); !errors.Is(err, ErrEncrypted) || !strings.Contains(err.Error(), "user password") {
		t.Errorf("user password AES-256: err=%v", err)
	}
	if _, err := Open(fixture(t, "enc-owner-aes256.pdf"), Limits{MaxPages: 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("page limit: err=%v", err)
	}
	// A scan inside an AES-256 file is rendered by pdftoppm.
	d, err = Open(fixture(t, "scan-aes256.pdf"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Pages[0].NeedsOCR {
		t.Fatal("encrypted scan not marked for OCR")
	}
	img, err := d.PageImage(1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffFromSource(decodeGray(t, img), pagePNGGray(t), 300); diff > 15 {
		t.Errorf("rendered scan differs from the source by %.1f", diff)
	}
}
