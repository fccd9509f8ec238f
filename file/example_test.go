package file_test

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/workspace-go/workspace/file"
	"github.com/workspace-go/workspace/store/memstore"
	"gocloud.dev/blob/memblob"
)

func Example() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	bucket := memblob.OpenBucket(nil)
	defer bucket.Close()

	files, err := file.New(ctx, st, file.FromBlob(bucket))
	if err != nil {
		panic(err)
	}
	f, err := files.Upload(ctx, "alice", file.Upload{Container: "conv:general", Name: "minutes.md"},
		strings.NewReader("# Minutes\n\nShip the file service on Friday."))
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Name, f.Kind, f.Size)

	r, err := files.Open(ctx, "bob", f.ID, file.Range{Offset: 11, Length: 4})
	if err != nil {
		panic(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	fmt.Printf("%q\n", b)

	if err := files.SyncText(ctx); err != nil {
		panic(err)
	}
	text, state, _ := files.System().Text(ctx, f.ID)
	fmt.Println(state, strings.Contains(text, "Friday"))

	_, err = files.Upload(ctx, "alice", file.Upload{Container: "conv:general", Name: "../etc/passwd"}, strings.NewReader("x"))
	fmt.Println(err)
	// Output:
	// minutes.md markdown 43
	// "Ship"
	// ready true
	// file: name "../etc/passwd": path separator: invalid argument
}
