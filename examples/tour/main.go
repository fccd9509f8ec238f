// Command tour plays a short working day at Lumen Advertising, a company
// with offices in five cities, on a bbolt file: the directory and a
// channel, a message turned into a task for two people and tracked to the
// end, a weekly sync with a meeting room that cannot be double-booked, a
// colleague who sees only when a calendar is busy, documents shared to a
// department and through a password link, an employee leaving with their
// documents moving to their manager, and search in Chinese and English as
// different people, each seeing only what they may.
//
//	go run ./examples/tour              # in a temporary directory
//	go run ./examples/tour -dir ./data  # keeps the data; run it again
//
// Every step checks what it claims; the tour exits non-zero if one does
// not behave as described. Each run plays its day as a new tenant of the
// same file, so running it again on the same directory works, and the
// earlier tenants' data stays where it was, invisible to the new one.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/workspace-go/workspace"
	"github.com/workspace-go/workspace/calendar"
	"github.com/workspace-go/workspace/chat"
	"github.com/workspace-go/workspace/directory"
	"github.com/workspace-go/workspace/docacl"
	"github.com/workspace-go/workspace/search"
	"github.com/workspace-go/workspace/store"
	"github.com/workspace-go/workspace/store/boltstore"
	"github.com/workspace-go/workspace/task"
)

func main() {
	dir := flag.String("dir", "", "directory for the data (default: a temporary one, removed at the end)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "\nTOUR FAILED:", err)
		os.Exit(1)
	}
	fmt.Println("\nThe day went as described.")
}

// clock is the tour's simulated time: Wednesday 12 March 2025 in Beijing.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var beijing = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// check turns a broken promise into an error that ends the tour.
func check(ok bool, format string, args ...any) error {
	if ok {
		fmt.Printf("  ✓ "+format+"\n", args...)
		return nil
	}
	return fmt.Errorf("expected: "+format, args...)
}

func section(title string) { fmt.Printf("\n== %s\n", title) }

func run(dir string) error {
	ctx := context.Background()
	if dir == "" {
		tmp, err := os.MkdirTemp("", "workspace-tour-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	db, err := boltstore.Open(filepath.Join(dir, "workspace.db"), nil)
	if err != nil {
		return err
	}
	defer db.Close()
	day, err := nextDay(ctx, db)
	if err != nil {
		return err
	}
	tenant := fmt.Sprintf("lumen-%d", day)

	clk := &clock{t: time.Date(2025, 3, 12, 9, 0, 0, 0, beijing)}
	ws, err := workspace.Open(ctx, workspace.Options{
		Store:          db,
		Dir:            dir,
		Tenant:         tenant,
		Admins:         []string{"it-admin"},
		Location:       beijing,
		AutoTaskDrafts: true,
		DocumentText:   files.read,
		Now:            clk.Now,
	})
	if err != nil {
		return err
	}
	defer ws.Close()
	fmt.Printf("Lumen Advertising, day %d: tenant %q in %s\n", day, tenant, filepath.Join(dir, "workspace.db"))

	steps := []func(context.Context, *workspace.Workspace, *clock, *state) error{
		people, channelToTask, trackTask, weeklySync, documents, offboarding, searching,
	}
	st := &state{}
	for _, step := range steps {
		if err := step(ctx, ws, clk, st); err != nil {
			return err
		}
	}
	return nil
}

// nextDay counts the tour's runs in the file (outside any tenant), so each
// run gets a tenant of its own.
func nextDay(ctx context.Context, db store.Store) (uint64, error) {
	var day uint64
	err := db.Update(ctx, func(tx store.Tx) error {
		day = 1
		if v, err := tx.Get([]byte("tour/runs")); err == nil && len(v) == 8 {
			day = binary.BigEndian.Uint64(v) + 1
		}
		return tx.Put([]byte("tour/runs"), binary.BigEndian.AppendUint64(nil, day))
	})
	return day, err
}

// files is the application's document content: the Workspace holds who
// may see a document, the application what it says.
var files = &contents{text: map[string]string{}}

type contents struct {
	mu   sync.Mutex
	text map[string]string
}

func (c *contents) set(id, text string) { c.mu.Lock(); c.text[id] = text; c.mu.Unlock() }

func (c *contents) read(_ context.Context, id string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text[id], nil
}

// state carries ids from one step to the next.
type state struct {
	channel, request string
	quote            task.Task
	syncEvent, room  string
	folder, doc      string
	link             docacl.Link
}

func people(ctx context.Context, ws *workspace.Workspace, _ *clock, _ *state) error {
	section("The directory: five offices, departments and managers")
	chart := directory.OrgChart{
		Departments: []directory.Department{
			{ID: "hq", Name: "总部 Head office (Beijing)", Manager: "wang"},
			{ID: "sales", Name: "销售部 Sales", Parent: "hq", Manager: "lilei"},
			{ID: "sales-sh", Name: "华东销售 Sales East (Shanghai)", Parent: "sales", Manager: "lilei"},
			{ID: "sales-gz", Name: "华南销售 Sales South (Guangzhou, Shenzhen)", Parent: "sales", Manager: "lilei"},
			{ID: "creative", Name: "创意部 Creative (Chengdu)", Parent: "hq", Manager: "wang"},
		},
		Users: []directory.User{
			{ID: "wang", Name: "王总", Departments: []string{"hq"}},
			{ID: "lilei", Name: "李雷", Departments: []string{"sales"}},
			{ID: "xiaowang", Name: "小王", Departments: []string{"sales"}},
			{ID: "bob", Name: "Bob Chen", Departments: []string{"sales-sh"}},
			{ID: "meimei", Name: "韩梅梅", Departments: []string{"sales-gz"}},
			{ID: "zhangwei", Name: "张伟", Departments: []string{"creative"}, Manager: "wang"},
			{ID: "alice", Name: "Alice Liu", Departments: []string{"creative"}},
		},
	}
	// One import: departments, then people, then the heads of departments.
	if _, err := ws.Directory.Import(ctx, "it-admin", chart, nil); err != nil {
		return err
	}
	fmt.Printf("  %d departments, %d people; 李雷 manages sales, 王总 manages 张伟\n", len(chart.Departments), len(chart.Users))
	return nil
}

func channelToTask(ctx context.Context, ws *workspace.Workspace, clk *clock, s *state) error {
	section("A channel, and a message that becomes a task (以事为中心)")
	ch, err := ws.Chat.CreateChannel(ctx, "lilei", chat.ChannelOptions{
		Name: "q3-campaign", Topic: "Q3 投放 campaign for the client",
		Private: true, Members: []string{"xiaowang", "bob", "wang"},
	})
	if err != nil {
		return err
	}
	s.channel = ch.ID
	clk.Advance(10 * time.Minute)
	msg, err := ws.Chat.Post(ctx, "lilei", ch.ID, chat.Draft{
		Text:     "@xiaowang @bob 明天下午3点前把报价单发给客户，紧急",
		Priority: chat.PriorityImportant,
	})
	if err != nil {
		return err
	}
	s.request = msg.ID
	fmt.Printf("  李雷 in #%s: %s\n", ch.Name, msg.Text)

	drafts, err := ws.Suggestions(ctx, "lilei", msg.ID)
	if err != nil {
		return err
	}
	if err := check(len(drafts) == 1, "the message reads as one task"); err != nil {
		return err
	}
	d := drafts[0]
	wantDue := time.Date(2025, 3, 13, 15, 0, 0, 0, beijing)
	if err := check(strings.Join(d.Assignees, ",") == "xiaowang,bob", "for xiaowang and bob (got %v)", d.Assignees); err != nil {
		return err
	}
	if err := check(d.Due.Local().Equal(wantDue), "due tomorrow 15:00 Beijing time (got %s)", d.Due); err != nil {
		return err
	}
	if err := check(d.Priority == task.PriorityHigh, "urgent, because it says 紧急"); err != nil {
		return err
	}
	if err := check(d.Title == "把报价单发给客户", "titled %q", d.Title); err != nil {
		return err
	}

	t, err := ws.TaskFromMessage(ctx, "lilei", msg.ID, task.Spec{})
	if err != nil {
		return err
	}
	s.quote = t
	linked, err := ws.MessageTasks(ctx, "bob", msg.ID, "")
	if err != nil {
		return err
	}
	if err := check(len(linked.Items) == 1 && linked.Items[0].ID == t.ID && t.Source.ID == msg.ID,
		"the task links to the message and the message to the task"); err != nil {
		return err
	}
	if _, err := ws.TaskFromMessage(ctx, "meimei", msg.ID, task.Spec{}); err != nil {
		if err := check(errors.Is(err, store.ErrPermission) || errors.Is(err, store.ErrNotFound),
			"韩梅梅, not in the private channel, cannot make a task of its message"); err != nil {
			return err
		}
	} else {
		return errors.New("韩梅梅 made a task of a message she cannot see")
	}

	// Bob answers in a thread.
	clk.Advance(5 * time.Minute)
	reply, err := ws.Chat.Post(ctx, "bob", ch.ID, chat.Draft{Text: "@lilei on it, I'll send the quote to the client by Thursday 3pm", ReplyTo: msg.ID})
	if err != nil {
		return err
	}
	root, err := ws.Chat.Thread(ctx, "lilei", msg.ID)
	if err != nil {
		return err
	}
	return check(root.Root.ReplyCount == 1 && reply.Root == msg.ID, "bob replied in the thread (%d reply)", root.Root.ReplyCount)
}

func trackTask(ctx context.Context, ws *workspace.Workspace, clk *clock, s *state) error {
	section("Tracking the task to the end: progress, summary, nudges (催办)")
	clk.Advance(2 * time.Hour)
	t, err := ws.Tasks.Complete(ctx, "xiaowang", s.quote.ID)
	if err != nil {
		return err
	}
	done, total := t.Progress()
	if err := check(done == 1 && total == 2, "小王 finished his part: %d/%d done", done, total); err != nil {
		return err
	}
	week := task.Period{From: time.Date(2025, 3, 10, 0, 0, 0, 0, beijing), To: time.Date(2025, 3, 17, 0, 0, 0, 0, beijing)}
	sum, err := ws.Tasks.Summary(ctx, "lilei", task.RoleCreator, week)
	if err != nil {
		return err
	}
	fmt.Printf("  李雷's week: %d handed out, %d done, %d in progress or to do, %d overdue\n", sum.Total, sum.Done, sum.Todo+sum.InProgress, sum.Overdue)
	if err := check(sum.Total == 1 && sum.Done == 0 && sum.Overdue == 0, "nothing late yet"); err != nil {
		return err
	}

	clk.Advance(28 * time.Hour) // Thursday 16:15: past the deadline
	sum, err = ws.Tasks.Summary(ctx, "lilei", task.RoleCreator, week)
	if err != nil {
		return err
	}
	if err := check(sum.Overdue == 1, "Thursday 16:15: the task is overdue (bob has not finished)"); err != nil {
		return err
	}
	swept, err := ws.Sweep(ctx) // an application runs it on a timer
	if err != nil {
		return err
	}
	if err := check(swept.Reminders == 1, "the periodic Sweep sends bob one overdue reminder (a due-soon one that comes too late is not sent): %d", swept.Reminders); err != nil {
		return err
	}
	act, err := ws.Tasks.Nudge(ctx, "lilei", s.quote.ID)
	if err != nil {
		return err
	}
	if err := check(strings.Join(act.Users, ",") == "bob", "李雷 nudges, and only bob is nudged (got %v)", act.Users); err != nil {
		return err
	}
	_, err = ws.Tasks.Nudge(ctx, "lilei", s.quote.ID)
	if err := check(errors.Is(err, task.ErrTooSoon), "a second nudge a minute later is refused: bob was nudged too recently (%s)", store.Code(err)); err != nil {
		return err
	}
	t, err = ws.Tasks.Complete(ctx, "bob", s.quote.ID)
	if err != nil {
		return err
	}
	return check(t.Status == task.StatusDone, "bob finishes: the task is done (%s)", t.Status)
}

func weeklySync(ctx context.Context, ws *workspace.Workspace, _ *clock, s *state) error {
	section("A weekly sync in a meeting room that cannot be double-booked")
	room, err := ws.Calendar.CreateCalendar(ctx, "it-admin", calendar.Calendar{
		Kind: calendar.Resource, Name: "北京 3F 会议室 A", TimeZone: "Asia/Shanghai",
		Room: &calendar.Room{Name: "会议室 A", Building: "Beijing HQ", Floor: "3", Capacity: 8, Equipment: []string{"video", "whiteboard"}},
	})
	if err != nil {
		return err
	}
	s.room = room.ID
	cal, err := ws.Calendar.CreateCalendar(ctx, "lilei", calendar.Calendar{Kind: calendar.Personal, Name: "李雷", TimeZone: "Asia/Shanghai"})
	if err != nil {
		return err
	}
	monday := time.Date(2025, 3, 17, 10, 0, 0, 0, beijing)
	sync, err := ws.Calendar.CreateEvent(ctx, "lilei", calendar.Event{
		CalendarID: cal.ID, Title: "销售周会 Weekly sales sync", Description: "Pipeline, quotes, Q3 投放",
		Start: monday, End: monday.Add(time.Hour), TimeZone: "Asia/Shanghai",
		Attendees:  []calendar.Attendee{{User: "xiaowang"}, {User: "bob"}, {User: "meimei"}},
		Rooms:      []string{room.ID},
		Recurrence: &calendar.Recurrence{RRule: "FREQ=WEEKLY;BYDAY=MO"},
	})
	if err != nil {
		return err
	}
	s.syncEvent = sync.ID
	fmt.Printf("  李雷 books %s every Monday 10:00-11:00 for the weekly sync\n", room.Name)

	mcal, err := ws.Calendar.CreateCalendar(ctx, "meimei", calendar.Calendar{Kind: calendar.Personal, Name: "韩梅梅", TimeZone: "Asia/Shanghai"})
	if err != nil {
		return err
	}
	clash := time.Date(2025, 4, 7, 10, 30, 0, 0, beijing) // a Monday, weeks later
	_, err = ws.Calendar.CreateEvent(ctx, "meimei", calendar.Event{
		CalendarID: mcal.ID, Title: "Client call", Start: clash, End: clash.Add(time.Hour),
		TimeZone: "Asia/Shanghai", Rooms: []string{room.ID},
	})
	if err := check(errors.Is(err, calendar.ErrRoomBooked), "韩梅梅's booking of %s on Monday 7 April 10:30 is refused: the weekly sync holds it 10:00-11:00 (%s)", room.Name, store.Code(err)); err != nil {
		return err
	}

	// Alice, in Chengdu, subscribes to 李雷's calendar to see when he is
	// free: colleagues get free/busy only.
	if err := ws.Calendar.Subscribe(ctx, "alice", cal.ID); err != nil {
		return err
	}
	page, err := ws.Calendar.Instances(ctx, "alice", calendar.InstanceQuery{From: monday.Add(-time.Hour), To: monday.Add(7 * 24 * time.Hour)})
	if err != nil {
		return err
	}
	wk := page.Items
	var seen *calendar.Instance
	for i := range wk {
		if wk[i].CalendarID == cal.ID {
			seen = &wk[i]
		}
	}
	if err := check(seen != nil && seen.BusyOnly && seen.Title == "" && len(seen.Attendees) == 0,
		"alice (Chengdu) sees 李雷 busy on Monday 10:00, without title or attendees"); err != nil {
		return err
	}
	fb, err := ws.Calendar.FreeBusy(ctx, "meimei", calendar.FreeBusyQuery{
		From: monday, To: monday.Add(14 * 24 * time.Hour), Users: []string{"lilei"}, Rooms: []string{room.ID},
	})
	if err != nil {
		return err
	}
	return check(len(fb.Rooms[room.ID]) == 2 && len(fb.Users["lilei"]) == 2,
		"free/busy over two weeks: the room and 李雷 are busy twice (Mondays 10:00-11:00)")
}

func documents(ctx context.Context, ws *workspace.Workspace, _ *clock, s *state) error {
	section("Documents shared to a department, and a link with a password")
	folder, err := ws.Docs.Create(ctx, "zhangwei", docacl.Resource{Kind: docacl.Folder, Name: "Q3 投放方案 campaign plans"})
	if err != nil {
		return err
	}
	doc, err := ws.Docs.Create(ctx, "zhangwei", docacl.Resource{Kind: docacl.Document, Name: "投放数据分析 media spend analysis", Parent: folder.ID})
	if err != nil {
		return err
	}
	s.folder, s.doc = folder.ID, doc.ID
	// 张伟 writes the analysis in the application's editor; the index reads
	// the text through Options.DocumentText.
	files.set(doc.ID, "渠道复盘 channel review: Xiaohongshu brought the best ROI this quarter")
	if err := ws.DocumentChanged(ctx, doc.ID); err != nil {
		return err
	}
	if err := ws.Docs.Grant(ctx, "zhangwei", folder.ID, docacl.DeptKey("sales"), docacl.Viewer, docacl.GrantOptions{}); err != nil {
		return err
	}
	acc, err := ws.Docs.Role(ctx, "bob", doc.ID)
	if err != nil {
		return err
	}
	if err := check(acc.Role == docacl.Viewer && acc.Inherited && acc.From == folder.ID,
		"bob (Sales East, under Sales) can view the analysis, inherited from the folder granted to Sales"); err != nil {
		return err
	}
	err = ws.Docs.Check(ctx, "alice", doc.ID, docacl.View)
	if err := check(errors.Is(err, docacl.ErrNotFound), "alice (Creative) cannot: to her the analysis does not exist (%s)", store.Code(err)); err != nil {
		return err
	}
	link, err := ws.Docs.CreateLink(ctx, "zhangwei", doc.ID, docacl.LinkOptions{Scope: docacl.LinkTenantView, Password: "lumen-2025"})
	if err != nil {
		return err
	}
	s.link = link
	_, err = ws.Docs.OpenLink(ctx, "alice", link.ID, "guess")
	if err := check(errors.Is(err, docacl.ErrLinkDenied), "a wrong password is refused without saying whether the link exists"); err != nil {
		return err
	}
	acc, err = ws.Docs.OpenLink(ctx, "alice", link.ID, "lumen-2025")
	return check(err == nil && acc.Role == docacl.Viewer, "with the password alice can view it through the link")
}

func offboarding(ctx context.Context, ws *workspace.Workspace, _ *clock, s *state) error {
	section("张伟 leaves: his documents move to his manager, in one step")
	rep, err := ws.Docs.Offboard(ctx, "it-admin", "zhangwei", docacl.OffboardOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("  moved %d resources to %s, removed %d grants, revoked %d links\n", rep.Resources, rep.Recipient, rep.Grants, rep.Links)
	if err := check(rep.Recipient == "wang" && rep.Resources == 2, "both resources went to 王总, his manager"); err != nil {
		return err
	}
	if _, err := ws.Directory.SetStatus(ctx, "it-admin", "zhangwei", directory.Left); err != nil {
		return err
	}
	r, err := ws.Docs.Resource(ctx, "wang", s.doc)
	if err != nil {
		return err
	}
	if err := check(r.Owner == "wang", "王总 owns the analysis now"); err != nil {
		return err
	}
	err = ws.Docs.Check(ctx, "zhangwei", s.doc, docacl.View)
	if err := check(err != nil, "张伟 has no access any more"); err != nil {
		return err
	}
	return check(ws.Docs.Check(ctx, "bob", s.doc, docacl.View) == nil, "Sales still can view it: nothing was lost")
}

func searching(ctx context.Context, ws *workspace.Workspace, _ *clock, s *state) error {
	section("Search in Chinese and English, as different people")
	if err := ws.Sync(ctx); err != nil {
		return err
	}
	find := func(user, q string) (*search.Results, error) {
		res, err := ws.SearchAs(ctx, user, search.Request{Query: q, Sort: search.ByNewest})
		if err != nil {
			return nil, err
		}
		fmt.Printf("  %-8s %-22q → %d result(s)", user, q, res.Total)
		for _, h := range res.Items {
			fmt.Printf("  [%s]", h.Kind)
		}
		fmt.Println()
		return res, nil
	}
	res, err := find("bob", "报价单")
	if err != nil {
		return err
	}
	if err := check(res.Kinds[search.KindMessage] == 1 && res.Kinds[search.KindTask] == 1, "bob finds the message and the task"); err != nil {
		return err
	}
	res, err = find("meimei", "报价单")
	if err != nil {
		return err
	}
	if err := check(res.Total == 0, "韩梅梅, outside the channel and the task, finds nothing — not even a count"); err != nil {
		return err
	}
	res, err = find("lilei", "quote client")
	if err != nil {
		return err
	}
	if err := check(res.Kinds[search.KindMessage] == 1, "English words find bob's reply"); err != nil {
		return err
	}
	res, err = find("bob", "投放 type:doc")
	if err != nil {
		return err
	}
	if err := check(res.Total == 2, "bob finds the campaign folder and document Sales may view, moved to 王总 and still indexed"); err != nil {
		return err
	}
	res, err = find("alice", "投放 type:doc")
	if err != nil {
		return err
	}
	if err := check(res.Total == 0, "alice (Creative) does not"); err != nil {
		return err
	}
	res, err = find("bob", "Xiaohongshu")
	if err != nil {
		return err
	}
	if err := check(res.Kinds[search.KindDoc] == 1, "bob finds the analysis by what it says, not only by its name"); err != nil {
		return err
	}
	res, err = find("alice", "Xiaohongshu")
	if err != nil {
		return err
	}
	if err := check(res.Total == 0, "its text is no more visible to alice than its name"); err != nil {
		return err
	}
	res, err = find("meimei", "周会")
	if err != nil {
		return err
	}
	if err := check(res.Kinds[search.KindEvent] == 1, "韩梅梅 finds the weekly sync she is invited to"); err != nil {
		return err
	}
	if err := ws.Chat.RemoveMember(ctx, "lilei", s.channel, "bob"); err != nil {
		return err
	}
	res, err = find("bob", "报价单")
	if err != nil {
		return err
	}
	return check(res.Kinds[search.KindMessage] == 0 && res.Kinds[search.KindTask] == 1,
		"bob, removed from the channel, no longer finds its message at once (his task stays his)")
}
