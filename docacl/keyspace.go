package docacl

import "github.com/workspace-go/workspace/internal/keys"

// Key layout, all under "docacl":
//
//	meta                      {version, seq}: bumped by every mutation
//	settings                  Settings
//	res/<id>                  Resource
//	grant/<res>/<principal>   Grant
//	link/<res>/<link>         linkRecord
//	user/<id>                 User
//	group/<id>                Group (without members)
//	gm/<group>/<member key>   membership, empty value
//	dept/<id>                 Dept
//	audit/r/<res>/<id>        AuditEntry about a resource
//	audit/u/<user>/<id>       AuditEntry about a user (actor or subject)
//	exp/<time>/g/<res>/<principal>  expiry index of a grant, empty value
//	exp/<time>/l/<res>/<link>       expiry index of a link, empty value
//	expidx                    empty: the expiry index covers older records too
//	once/<op>/<actor>/<key>   the first result of a create with a client key
const pkg = "docacl"

var (
	metaKey     = keys.New(pkg, "meta")
	settingsKey = keys.New(pkg, "settings")
	empty       = []byte{}
)

func resKey(id string) []byte           { return keys.New(pkg, "res", id) }
func grantPrefix(res string) []byte     { return keys.New(pkg, "grant", res) }
func grantKey(res, p string) []byte     { return keys.New(pkg, "grant", res, p) }
func linkPrefix(res string) []byte      { return keys.New(pkg, "link", res) }
func linkKey(res, id string) []byte     { return keys.New(pkg, "link", res, id) }
func userKey(id string) []byte          { return keys.New(pkg, "user", id) }
func groupKey(id string) []byte         { return keys.New(pkg, "group", id) }
func memberPrefix(g string) []byte      { return keys.New(pkg, "gm", g) }
func memberKey(g, m string) []byte      { return keys.New(pkg, "gm", g, m) }
func deptKey(id string) []byte          { return keys.New(pkg, "dept", id) }
func auditResPrefix(res string) []byte  { return keys.New(pkg, "audit", "r", res) }
func auditUserPrefix(u string) []byte   { return keys.New(pkg, "audit", "u", u) }
func auditResKey(res, id string) []byte { return keys.New(pkg, "audit", "r", res, id) }
func auditUserKey(u, id string) []byte  { return keys.New(pkg, "audit", "u", u, id) }
