package acquire

import (
	"math"
	"testing"
)

func TestSkewAngle(t *testing.T) {
	t.Parallel()
	src := pagePNGGray(t)
	for _, deg := range []float64{0, 1.5, -2, 4, -5} {
		got := skewAngle(rotateSmall(src, deg))
		if math.Abs(got-deg) > 0.35 {
			t.Errorf("rotated %.1f°: measured %.2f°", deg, got)
		}
	}
	// Straightening brings the page back close to the source.
	back := deskew(rotateSmall(src, 3))
	if d := meanAbsDiff(back, src); d > 6 {
		t.Errorf("deskewed page differs from the source by %.1f", d)
	}
	if d := meanAbsDiff(deskew(src), src); d != 0 {
		t.Errorf("an upright page was changed (%.1f)", d)
	}
}
