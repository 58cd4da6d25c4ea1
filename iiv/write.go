package iiv

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
)

// Write writes rows in the JSONL instance format that Reader and
// `hallu bound` read: context, response, label, mu and p where the row has
// them, and phat, each number as the shortest decimal that reads back to the
// same float64. It is the one writer of the format.
func Write[T Scalar[T]](w io.Writer, rows []Row[T]) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for _, r := range rows {
		line = append(line[:0], `{"context":`...)
		line = appendJSONString(line, r.Context)
		line = append(line, `,"response":`...)
		line = appendJSONString(line, r.Response)
		line = append(line, `,"label":"`...)
		line = append(line, r.Label.String()...)
		line = append(line, '"')
		if r.HasMu {
			line = append(line, `,"mu":`...)
			line = strconv.AppendFloat(line, r.Mu.Float64(), 'g', -1, 64)
		}
		if r.HasP {
			line = append(line, `,"p":`...)
			line = strconv.AppendFloat(line, r.P.Float64(), 'g', -1, 64)
		}
		line = append(line, `,"phat":`...)
		line = strconv.AppendFloat(line, r.Phat.Float64(), 'g', -1, 64)
		line = append(line, "}\n"...)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func appendJSONString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(dst, b...)
}
