package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// drawQR draws content as a QR code with Unicode half blocks, two module
// rows a line, light modules as blocks (as qrencode -t UTF8 does), with a
// quiet zone, so a phone can scan it off a dark terminal.
func drawQR(w io.Writer, content string) error {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return fmt.Errorf("encode QR code: %w", err)
	}
	b := code.Bounds()
	const quiet = 2
	n := b.Dx()
	dark := func(x, y int) bool {
		if x < 0 || y < 0 || x >= n || y >= n {
			return false
		}
		r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
		return r < 0x8000
	}
	var sb strings.Builder
	for y := -quiet; y < n+quiet; y += 2 {
		for x := -quiet; x < n+quiet; x++ {
			top, bottom := !dark(x, y), !dark(x, y+1)
			switch {
			case top && bottom:
				sb.WriteString("█")
			case top:
				sb.WriteString("▀")
			case bottom:
				sb.WriteString("▄")
			default:
				sb.WriteString(" ")
			}
		}
		sb.WriteString("\n")
	}
	_, err = io.WriteString(w, sb.String())
	return err
}
