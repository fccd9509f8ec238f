package directory

import (
	"encoding/binary"

	"github.com/workspace-go/workspace/internal/keys"
)

// Kind is the change kind the directory's records are appended under.
const Kind = "directory"

// Root is the id of the root department: the organisation itself. It
// always exists, has no parent, and cannot be moved or deleted.
const Root = "root"

// The key layout. Every key starts with the "directory" part; the second
// part names the table:
//
//	ver                         uint64 version, bumped by every write
//	u/<user>                    user record
//	email/<lower-case email>    user id
//	phone/<digits>              user id
//	ud/<dept>/<user>            direct members of a department
//	up/<dept>/<user>            members of a department or any descendant
//	um/<manager>/<user>         direct reports
//	us/<status>/<user>          users by status
//	vu/<version>/<user>         the version each user was last written at
//	d/<dept>                    department record
//	dc/<parent>/<child>         children of a department
//	dm/<manager>/<dept>         departments a user manages
//	g/<group>                   group record
//	gm/<group>/<kind>/<id>      members of a group
//	mg/<kind>/<id>/<group>      groups a user or group is a direct member of
//	ck/<actor>/<key>            client key: "u"|"d"|"g" and the id created
var (
	kVersion   = keys.New(Kind, "ver")
	pUser      = keys.New(Kind, "u")
	pEmail     = keys.New(Kind, "email")
	pPhone     = keys.New(Kind, "phone")
	pDeptUser  = keys.New(Kind, "ud")
	pTreeUser  = keys.New(Kind, "up")
	pReports   = keys.New(Kind, "um")
	pStatus    = keys.New(Kind, "us")
	pUserVer   = keys.New(Kind, "vu")
	pDept      = keys.New(Kind, "d")
	pChild     = keys.New(Kind, "dc")
	pManages   = keys.New(Kind, "dm")
	pGroup     = keys.New(Kind, "g")
	pMember    = keys.New(Kind, "gm")
	pMemberOf  = keys.New(Kind, "mg")
	pClientKey = keys.New(Kind, "ck")
)

func key(prefix []byte, parts ...string) []byte {
	k := append(make([]byte, 0, len(prefix)+32), prefix...)
	for _, p := range parts {
		k = keys.Append(k, p)
	}
	return k
}

func kUser(id string) []byte            { return key(pUser, id) }
func kEmail(e string) []byte            { return key(pEmail, e) }
func kPhone(p string) []byte            { return key(pPhone, p) }
func kDeptUser(d, u string) []byte      { return key(pDeptUser, d, u) }
func kTreeUser(d, u string) []byte      { return key(pTreeUser, d, u) }
func kReport(m, u string) []byte        { return key(pReports, m, u) }
func kStatus(s Status, u string) []byte { return key(pStatus, string(s), u) }
func kDept(id string) []byte            { return key(pDept, id) }
func kChild(p, c string) []byte         { return key(pChild, p, c) }
func kManages(m, d string) []byte       { return key(pManages, m, d) }
func kGroup(id string) []byte           { return key(pGroup, id) }
func kMember(g string, m Member) []byte {
	return key(pMember, g, string(m.Kind), m.ID)
}
func kMemberOf(m Member, g string) []byte {
	return key(pMemberOf, string(m.Kind), m.ID, g)
}
func kClientKey(actor, k string) []byte { return key(pClientKey, actor, k) }

func kUserVer(v uint64, u string) []byte {
	return keys.Append(keys.AppendUint64(append([]byte(nil), pUserVer...), v), u)
}

func encodeUint(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

var empty = []byte{}
