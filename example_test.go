package workspace_test

import (
	"context"
	"fmt"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/task"
)

// A message becomes a task, and search shows each person only what they
// may see.
func Example() {
	ctx := context.Background()
	beijing, _ := time.LoadLocation("Asia/Shanghai")
	sent := time.Date(2025, 3, 12, 10, 0, 0, 0, beijing) // a Wednesday
	ws, err := workspace.Open(ctx, workspace.Options{
		InMemory: true,
		Admins:   []string{"it-admin"},
		Location: beijing,
		Now:      func() time.Time { return sent },
	})
	if err != nil {
		panic(err)
	}
	defer ws.Close()
	// People exist in the directory before they act.
	for _, u := range []directory.User{{ID: "lilei", Name: "李雷"}, {ID: "xiaowang", Name: "小王"}, {ID: "meimei", Name: "韩梅梅"}} {
		u.Departments = []string{directory.Root}
		if _, err := ws.Directory.CreateUser(ctx, "it-admin", u); err != nil {
			panic(err)
		}
	}

	team, _ := ws.Chat.CreateGroup(ctx, "lilei", chat.GroupOptions{Name: "销售", Members: []string{"xiaowang"}})
	msg, _ := ws.Chat.Post(ctx, "lilei", team.ID, chat.Draft{Text: "@xiaowang 明天下午3点前把报价单发给客户，紧急"})
	t, err := ws.TaskFromMessage(ctx, "lilei", msg.ID, task.Spec{})
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Title, "→", t.Assignees[0].User, "by", t.Due, "priority", t.Priority)

	ws.Sync(ctx)
	for _, user := range []string{"xiaowang", "meimei"} {
		res, _ := ws.SearchAs(ctx, user, search.Request{Query: "报价单"})
		fmt.Println(user, "finds", res.Total)
	}
	// Output:
	// 把报价单发给客户 → xiaowang by 2025-03-13 15:00 Asia/Shanghai priority high
	// xiaowang finds 2
	// meimei finds 0
}
