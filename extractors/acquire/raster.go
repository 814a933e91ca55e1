package acquire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/tiff"
)

// rasterPage is one page of an image document.
type rasterPage struct {
	tiff       *tiffPage // TIFF pages only
	dpiX, dpiY float64
	rotate     int // clockwise quarter turns (EXIF/TIFF orientation)
}

// openRaster checks an image file's pages against the limits from their
// headers alone; decoding waits for PageImage.
func openRaster(data []byte, mt string, lim Limits) (*Document, error) {
	d := &Document{MediaType: mt}
	switch mt {
	case TypeTIFF:
		tps, err := parseTIFF(data, lim.MaxPages)
		if err != nil {
			return nil, err
		}
		if len(tps) > lim.MaxPages {
			return nil, fmt.Errorf("%w: more than %d pages", ErrTooLarge, lim.MaxPages)
		}
		for i := range tps {
			tp := tps[i]
			if px := tp.Width * tp.Height; px > lim.MaxPixels {
				return nil, fmt.Errorf("%w: page %d is %dx%d pixels, over the limit of %d", ErrTooLarge, i+1, tp.Width, tp.Height, lim.MaxPixels)
			}
			d.raster = append(d.raster, rasterPage{tiff: &tp, dpiX: tp.XRes, dpiY: tp.YRes, rotate: orientationTurns(tp.Orientation)})
		}
	case TypePNG, TypeJPEG:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %s header: %v", ErrCorrupt, mt, err)
		}
		if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels || px <= 0 {
			return nil, fmt.Errorf("%w: image is %dx%d pixels, over the limit of %d", ErrTooLarge, cfg.Width, cfg.Height, lim.MaxPixels)
		}
		rp := rasterPage{}
		if mt == TypePNG {
			rp.dpiX, rp.dpiY = pngDPI(data)
		} else {
			rp.dpiX, rp.dpiY = jpegDPI(data)
			rp.rotate = orientationTurns(exifOrientation(data)) // phone photos
		}
		d.raster = []rasterPage{rp}
	}
	for i := range d.raster {
		d.Pages = append(d.Pages, Page{Number: i + 1, NeedsOCR: true})
	}
	return d, nil
}

// orientationTurns maps a TIFF/EXIF orientation to clockwise quarter turns
// (mirrored orientations are treated as their unmirrored rotation).
func orientationTurns(o int) int {
	switch o {
	case 3, 4:
		return 2
	case 6, 5:
		return 1
	case 8, 7:
		return 3
	}
	return 0
}

// rasterImage decodes and normalises page n of an image document.
func (d *Document) rasterImage(n int) ([]byte, error) {
	rp := d.raster[n-1]
	var img image.Image
	var err error
	switch d.MediaType {
	case TypeTIFF:
		img, err = tiff.Decode(newTIFFPageReader(d.data, rp.tiff.Offset))
	case TypePNG:
		img, err = png.Decode(bytes.NewReader(d.data))
	case TypeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(d.data))
	}
	var unsup tiff.UnsupportedError
	if errors.As(err, &unsup) && rp.tiff != nil {
		// A TIFF variant Go cannot decode (JPEG or old-style JPEG
		// compression, 16-bit samples, ...): Leptonica's libtiff reads
		// it, so pass the page as a TIFF whose first image is this page,
		// unnormalised.
		return tiffWithFirstPage(d.data, rp.tiff.Offset), nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s page %d: %v", ErrCorrupt, d.MediaType, n, err)
	}
	return normalize(img, rp.dpiX, rp.dpiY, rp.rotate)
}

// pngDPI reads the pHYs chunk (before the image data), if any.
func pngDPI(data []byte) (float64, float64) {
	i := 8
	for i+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || i+12+n > len(data) || typ == "IDAT" {
			break
		}
		if typ == "pHYs" && n == 9 && data[i+16] == 1 {
			x := float64(binary.BigEndian.Uint32(data[i+8:])) * 0.0254
			y := float64(binary.BigEndian.Uint32(data[i+12:])) * 0.0254
			return saneDPI(x, y)
		}
		i += 12 + n
	}
	return 0, 0
}

// jpegDPI reads the JFIF density, if any.
func jpegDPI(data []byte) (float64, float64) {
	i := 2
	for i+4 <= len(data) && data[i] == 0xff {
		marker := data[i+1]
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if marker == 0xda || n < 2 || i+2+n > len(data) { // start of scan
			break
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe0 && len(seg) >= 12 && string(seg[:5]) == "JFIF\x00" {
			unit := seg[7]
			x, y := float64(binary.BigEndian.Uint16(seg[8:])), float64(binary.BigEndian.Uint16(seg[10:]))
			switch unit {
			case 1:
				return saneDPI(x, y)
			case 2:
				return saneDPI(x*2.54, y*2.54)
			}
			return 0, 0
		}
		i += 2 + n
	}
	return 0, 0
}

// saneDPI drops resolutions no scanner produces (72 dpi is the usual
// "unknown" placeholder written by software).
func saneDPI(x, y float64) (float64, float64) {
	if x < 90 || y < 90 || x > 5000 || y > 5000 {
		return 0, 0
	}
	return x, y
}

// exifOrientation reads the Orientation tag (0x0112) of a JPEG's Exif
// block; 1 (upright) when there is none.
func exifOrientation(data []byte) int {
	i := 2
	for i+4 <= len(data) && data[i] == 0xff {
		marker := data[i+1]
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if marker == 0xda || n < 2 || i+2+n > len(data) {
			break
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in the first IFD of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder = binary.BigEndian
	if string(t[:2]) == "II" {
		bo = binary.LittleEndian
	}
	off := int64(bo.Uint32(t[4:]))
	if off+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[off:]))
	for k := int64(0); k < n && off+2+12*(k+1) <= int64(len(t)); k++ {
		e := t[off+2+12*k:]
		if bo.Uint16(e) == 0x0112 {
			if o := int(bo.Uint16(e[8:])); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}
