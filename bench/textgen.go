package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Letter text is generated, not copied: every page is a different
// letter-like page of linesPerPage lines drawn from a seeded generator, so
// runs are reproducible and the ground truth for CER is exact.
const (
	linesPerPage = 45
	finePrint    = 6  // the last lines of a page are set in 8 pt, like a notice's fine print
	wrapWidth    = 80 // characters; 11 pt Times fits ~90 in 6.5 inches
)

var (
	planNames = []string{"Northwind Health Plan", "Cascade Mutual Benefits", "Harbor State Health", "Summit Care Insurance", "Riverbend Medicare Advantage"}
	firstNms  = []string{"Jordan", "Maria", "Samuel", "Priya", "Ellen", "Tomas", "Grace", "Dmitri"}
	lastNms   = []string{"Avery", "Delgado", "Okafor", "Lindqvist", "Brennan", "Nakamura", "Castillo", "Whitford"}
	months    = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	icd       = []string{"G93.32", "E11.9", "M54.50", "I10", "J45.909", "F41.1", "K21.9", "R53.83", "E53.8", "M17.11"}
	reasons   = []string{
		"the service was not medically necessary under our coverage policy",
		"the provider did not obtain prior authorization before the service",
		"the treatment is considered experimental or investigational",
		"the provider is not in your plan's network",
		"the service is not a covered benefit under your plan",
		"we did not receive the medical records we asked for",
	}
)

// letterGen produces letter-like pages from a seeded random source.
type letterGen struct{ rng *rand.Rand }

func newLetterGen(seed uint64) *letterGen {
	return &letterGen{rng: rand.New(rand.NewPCG(seed, seed^0x5eed))}
}

func (g *letterGen) pick(s []string) string { return s[g.rng.IntN(len(s))] }

func (g *letterGen) date() string {
	return fmt.Sprintf("%s %d, 2026", g.pick(months), 1+g.rng.IntN(28))
}

func (g *letterGen) money() string {
	d := 40 + g.rng.IntN(9000)
	if d >= 1000 {
		return fmt.Sprintf("$%d,%03d.%02d", d/1000, d%1000, g.rng.IntN(100))
	}
	return fmt.Sprintf("$%d.%02d", d, g.rng.IntN(100))
}

// word returns a pronounceable lower-case nonsense word of n letters: a
// token no dictionary or other document contains, and one OCR reads reliably.
func (g *letterGen) word(n int) string {
	const cons, vows = "bdfgklmnprstvz", "aeiou"
	b := make([]byte, n)
	for i := range b {
		if i%2 == 0 {
			b[i] = cons[g.rng.IntN(len(cons))]
		} else {
			b[i] = vows[g.rng.IntN(len(vows))]
		}
	}
	return string(b)
}

func (g *letterGen) sentence() string {
	switch g.rng.IntN(12) {
	case 0:
		return fmt.Sprintf("We reviewed the claim for services received on %s and decided not to pay it.", g.date())
	case 1:
		return fmt.Sprintf("We denied this request because %s.", g.pick(reasons))
	case 2:
		return fmt.Sprintf("Procedure code %d with diagnosis %s was billed at %s and allowed at %s.", 99200+g.rng.IntN(300), g.pick(icd), g.money(), g.money())
	case 3:
		return "You have the right to appeal this decision within 180 days of the date of this notice."
	case 4:
		return fmt.Sprintf("For an expedited appeal, call us at 1-800-%03d-%04d (TTY 711), Monday to Friday.", 200+g.rng.IntN(700), g.rng.IntN(10000))
	case 5:
		return fmt.Sprintf("Claim number E%010d, group number %d, was processed on %s.", g.rng.Int64N(1e10), 10000+g.rng.IntN(90000), g.date())
	case 6:
		return fmt.Sprintf("Your share of the cost is %s; the plan paid %s after your deductible.", g.money(), g.money())
	case 7:
		return fmt.Sprintf("Remark code N%d and adjustment reason CO-%d apply to line %d of this claim.", 1+g.rng.IntN(600), 1+g.rng.IntN(250), 1+g.rng.IntN(9))
	case 8:
		return "Send your appeal and any medical records to the address above, attention Appeals Unit."
	case 9:
		return "An independent reviewer can look at this decision if we uphold the denial on appeal."
	case 10:
		return fmt.Sprintf("Dr. %s %s, NPI %d, submitted the request on behalf of the member.", g.pick(firstNms), g.pick(lastNms), 1000000000+g.rng.Int64N(9e8))
	default:
		return fmt.Sprintf("Please keep this notice; reference %s-%d identifies the review.", strings.ToUpper(g.word(4)), 1000+g.rng.IntN(9000))
	}
}

// page returns one page of exactly linesPerPage lines. The first line is a
// heading and the last finePrint lines fine print (the PostScript writer
// sets them larger and smaller). token, when not empty, is
// placed in a line of its own so a search for it finds this page.
func (g *letterGen) page(token string) []string {
	lines := []string{
		fmt.Sprintf("%s Claim Review Notice", g.pick(planNames)),
		fmt.Sprintf("PO Box %d, Springfield, IL 627%02d", 1000+g.rng.IntN(9000), g.rng.IntN(100)),
		"Date of notice: " + g.date(),
		fmt.Sprintf("Member: %s %s   Member ID: W%09d", g.pick(firstNms), g.pick(lastNms), g.rng.IntN(1e9)),
	}
	if token != "" {
		lines = append(lines, "Review keyword: "+token)
	}
	var para strings.Builder
	for len(lines) < linesPerPage {
		para.Reset()
		for para.Len() < 200+g.rng.IntN(200) {
			if para.Len() > 0 {
				para.WriteByte(' ')
			}
			para.WriteString(g.sentence())
		}
		width := wrapWidth
		if len(lines) >= linesPerPage-finePrint {
			width = wrapWidth * 11 / 8
		}
		for _, l := range wrap(para.String(), width) {
			if len(lines) == linesPerPage {
				break
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// wrap breaks s into lines of at most width bytes at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(s) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// psEscape escapes a string for a PostScript string literal.
func psEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return r.Replace(s)
}

// postScript renders pages (each a list of lines; an empty list is a blank
// page) as a US-letter PostScript document: the first line of a page in
// 16 pt Times-Bold, the rest in 11 pt Times-Roman, one inch margins.
func postScript(pages [][]string) string {
	var b strings.Builder
	b.WriteString("%!PS-Adobe-3.0\n<< /PageSize [612 792] >> setpagedevice\n")
	b.WriteString("/hd { /Times-Bold findfont 16 scalefont setfont } def\n")
	b.WriteString("/bd { /Times-Roman findfont 11 scalefont setfont } def\n")
	b.WriteString("/fp { /Times-Roman findfont 8 scalefont setfont } def\n")
	for _, lines := range pages {
		y := 720.0
		step := 13.2
		for i, l := range lines {
			switch {
			case i == 0:
				b.WriteString("hd\n")
			case i == 1:
				b.WriteString("bd\n")
				y -= 10
			case i == len(lines)-finePrint && i > 1:
				b.WriteString("fp\n")
				y -= 6
				step = 10
			}
			fmt.Fprintf(&b, "72 %.1f moveto (%s) show\n", y, psEscape(l))
			y -= step
		}
		b.WriteString("showpage\n")
	}
	return b.String()
}

// pageText is the ground truth of a page as the reader sees it.
func pageText(lines []string) string { return strings.Join(lines, "\n") }
