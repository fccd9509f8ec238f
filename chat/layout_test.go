package chat

import (
	"testing"

	"github.com/workspace-go/workspace/internal/keys"
)

func TestDecodeSeqPart(t *testing.T) {
	for _, v := range []uint64{0, 1, 255, 256, 1 << 32, 1<<64 - 1, 0x0100000000000001} {
		b := keys.AppendUint64(nil, v)
		got, ok := decodeSeqPart(b)
		if !ok || got != v {
			t.Errorf("decodeSeqPart(%x) = %d, %v, want %d", b, got, ok, v)
		}
	}
	for _, b := range [][]byte{nil, {1, 2}, {0, 1}, {0, 2}, append(keys.AppendUint64(nil, 7), 9)} {
		if _, ok := decodeSeqPart(b); ok {
			t.Errorf("decodeSeqPart(%x) succeeded, want failure", b)
		}
	}
}
