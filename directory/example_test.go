package directory_test

import (
	"context"
	"fmt"

	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/store/memstore"
)

func Example() {
	ctx := context.Background()
	dir, err := directory.New(ctx, memstore.New(), directory.WithAdmins("admin"))
	if err != nil {
		panic(err)
	}
	eng, _ := dir.CreateDepartment(ctx, "admin", directory.Department{ID: "eng", Name: "研发部"})
	lead, _ := dir.CreateUser(ctx, "admin", directory.User{
		ID: "u1", Name: "单雄信", Email: "x.shan@example.com", Departments: []string{eng.ID}, TimeZone: "Asia/Shanghai",
	})
	_, err = dir.CreateUser(ctx, "admin", directory.User{
		ID: "u2", Name: "张伟", Manager: lead.ID, Departments: []string{eng.ID}, TimeZone: "Europe/London",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(lead.Pinyin, lead.Initials)
	for _, q := range []string{"zhangwei", "zw", "张", "@shan"} {
		page, _ := dir.Search(ctx, "u2", directory.SearchQuery{Text: q})
		for _, m := range page.Items {
			fmt.Printf("%s: %s (%s)\n", q, m.User.Name, m.Field)
		}
	}
	chain, _ := dir.ReportingChain(ctx, "u2", "u2")
	fmt.Println("reports to", chain[0].Name)
	// Output:
	// shan xiong xin sxx
	// zhangwei: 张伟 (pinyin)
	// zw: 张伟 (initials)
	// 张: 张伟 (name)
	// @shan: 单雄信 (pinyin)
	// reports to 单雄信
}

func ExampleService_Import() {
	ctx := context.Background()
	dir, _ := directory.New(ctx, memstore.New(), directory.WithAdmins("hr"))
	chart := directory.OrgChart{
		Departments: []directory.Department{
			{ID: "sales", Name: "销售部", Manager: "u1"},
			{ID: "east", Name: "华东区", Parent: "sales"},
		},
		Users: []directory.User{
			{ID: "u1", Name: "曾静", Departments: []string{"sales"}},
			{ID: "u2", Name: "解放", Departments: []string{"east"}, Manager: "u1"},
		},
	}
	for range 2 {
		rep, err := dir.Import(ctx, "hr", chart, nil)
		if err != nil {
			panic(err)
		}
		fmt.Printf("created %d, unchanged %d\n", rep.Created, rep.Unchanged)
	}
	members, _ := dir.System().Users(ctx, directory.UserQuery{Department: "sales"})
	for _, u := range members.Items {
		fmt.Println(u.Name, u.Pinyin)
	}
	// Output:
	// created 4, unchanged 0
	// created 0, unchanged 4
	// 曾静 zeng jing
	// 解放 xie fang
}
