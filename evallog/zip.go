package evallog

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// zipEntries indexes a ZIP archive by member name; each entry reads and
// decompresses its member when called, up to the document limit: a member
// of a few kilobytes can inflate to gigabytes.
func (l Limits) zipEntries(b []byte) (map[string]func() ([]byte, error), error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	out := map[string]func() ([]byte, error){}
	for _, f := range zr.File {
		out[f.Name] = func() ([]byte, error) {
			what := "ZIP member " + f.Name + " (decompressed)"
			// archive/zip fails a member that inflates past its declared
			// size, so a declared size over the limit is refused unread.
			if f.UncompressedSize64 > uint64(l.doc()) {
				return nil, &LimitError{What: what, Limit: l.doc(), Option: "MaxDocument"}
			}
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return l.readAll(rc, what) // checks the size and CRC at EOF
		}
	}
	return out, nil
}

// zipLocalEntries recovers the members of a ZIP archive whose central
// directory is missing or damaged — what a process killed while writing
// an Inspect .eval leaves — by walking the local file headers from the
// start (APPNOTE.TXT §4.3.7). It stops at the first header it cannot
// read; members whose data is cut short or fails its CRC are left out. It
// returns the members and how many it recovered.
func (l Limits) zipLocalEntries(b []byte) (map[string]func() ([]byte, error), int) {
	out := map[string]func() ([]byte, error){}
	for off := 0; off+30 <= len(b); {
		h := b[off:]
		if binary.LittleEndian.Uint32(h) != 0x04034b50 {
			break
		}
		flags := binary.LittleEndian.Uint16(h[6:])
		method := binary.LittleEndian.Uint16(h[8:])
		crc := binary.LittleEndian.Uint32(h[14:])
		csize := int(binary.LittleEndian.Uint32(h[18:]))
		nlen := int(binary.LittleEndian.Uint16(h[26:]))
		xlen := int(binary.LittleEndian.Uint16(h[28:]))
		start := 30 + nlen + xlen
		if flags&0x8 != 0 || start+csize > len(h) {
			break // sizes only in a trailing descriptor, or the data is cut short
		}
		name := string(h[30 : 30+nlen])
		data := h[start : start+csize]
		off += start + csize
		var content []byte
		switch method {
		case zip.Store:
			content = data
		case zip.Deflate:
			var err error
			if content, err = l.readAll(flate.NewReader(bytes.NewReader(data)), "ZIP member "+name+" (decompressed)"); err != nil {
				continue
			}
		default:
			continue
		}
		if crc32.ChecksumIEEE(content) != crc {
			continue
		}
		out[name] = func() ([]byte, error) { return content, nil }
	}
	if len(out) == 0 {
		return nil, 0
	}
	return out, len(out)
}
