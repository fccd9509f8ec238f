package file

import (
	"github.com/workspace-go/workspace/internal/keys"
)

// ChangeKind is the kind of the change records the Service appends.
const ChangeKind = "file"

// Store keys, all under "file/":
//
//	file/f/<id>                      stored file
//	file/v/<id>/<n>                  stored version n
//	file/in/<container>/<id>         container index
//	file/key/<actor>/<client key>    idempotent uploads → file id
//	file/blob/<sha256>               blobRef
//	file/pending/<upload id>         pending promotion
//	file/text/<id>/<n>               extracted text of version n
//	file/pos/<follower>              a follower's durable position
func kFile(id string) []byte              { return keys.New("file", "f", id) }
func kVersions(id string) []byte          { return keys.New("file", "v", id) }
func kVersion(id string, n int) []byte    { return keys.AppendUint64(kVersions(id), uint64(n)) }
func kIn(container string) []byte         { return keys.New("file", "in", container) }
func kInFile(container, id string) []byte { return keys.Append(kIn(container), id) }
func kClient(actor, key string) []byte    { return keys.New("file", "key", actor, key) }
func kBlob(sha string) []byte             { return keys.New("file", "blob", sha) }
func kPendingAll() []byte                 { return keys.New("file", "pending") }
func kPending(upload string) []byte       { return keys.Append(kPendingAll(), upload) }
func kText(id string, n int) []byte {
	return keys.AppendUint64(keys.New("file", "text", id), uint64(n))
}
func kTexts(id string) []byte     { return keys.New("file", "text", id) }
func kPos(follower string) []byte { return keys.New("file", "pos", follower) }

// Bucket keys, under the Service's prefix:
//
//	tmp/<upload id>              an upload in flight
//	blobs/<sha256>/<upload id>   live content (the upload id is the generation)
//	thumbs/<file id>/<n>         a version's thumbnail (PNG)
func (s *Service) bTmp(upload string) string       { return s.o.prefix + "tmp/" + upload }
func (s *Service) bLive(sha, upload string) string { return s.o.prefix + "blobs/" + sha + "/" + upload }
func (s *Service) bThumb(id string, n int) string  { return s.o.prefix + "thumbs/" + id + "/" + itoa(n) }
