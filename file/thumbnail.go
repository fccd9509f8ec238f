package file

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders the thumbnail follower reads
	_ "image/jpeg"
	"image/png"

	_ "golang.org/x/image/bmp"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// MaxImageSide is the longest side, in pixels, of an image the thumbnail
// follower decodes, whatever its pixel count.
const MaxImageSide = 30_000

// Thumbnail returns the dimensions of the image in content and a PNG
// thumbnail whose longest side is at most size pixels (an image already
// that small is re-encoded at its size). The declared dimensions are read
// first (image.DecodeConfig) and an image over maxPixels or MaxImageSide
// is refused with ErrCorrupt before any pixel is decoded. A format it does
// not read is ErrUnsupported. It never panics and is safe for concurrent
// use.
func Thumbnail(content []byte, size int, maxPixels int64) (w, h int, thumb []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			w, h, thumb, err = 0, 0, nil, fmt.Errorf("file: thumbnail: %v: %w", p, ErrCorrupt)
		}
	}()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(content))
	if err == image.ErrFormat {
		return 0, 0, nil, fmt.Errorf("file: thumbnail: %w", ErrUnsupported)
	}
	if err != nil {
		return 0, 0, nil, fmt.Errorf("file: thumbnail: %v: %w", err, ErrCorrupt)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide ||
		int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return 0, 0, nil, fmt.Errorf("file: thumbnail: %s of %d×%d pixels (limit %d): %w",
			format, cfg.Width, cfg.Height, maxPixels, ErrCorrupt)
	}
	img, _, err := image.Decode(bytes.NewReader(content))
	if err != nil {
		return 0, 0, nil, fmt.Errorf("file: thumbnail: %v: %w", err, ErrCorrupt)
	}
	b := img.Bounds()
	tw, th := b.Dx(), b.Dy()
	if tw > size || th > size {
		if tw >= th {
			tw, th = size, max(1, th*size/tw)
		} else {
			tw, th = max(1, tw*size/th), size
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	var out bytes.Buffer
	if err := png.Encode(&out, dst); err != nil {
		return 0, 0, nil, fmt.Errorf("file: thumbnail: encode: %w", err)
	}
	return cfg.Width, cfg.Height, out.Bytes(), nil
}
