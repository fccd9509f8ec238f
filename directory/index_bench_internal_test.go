package directory

import (
	"fmt"
	"testing"
)

func benchUsers(n int) []User {
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾单解")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰")
	us := make([]User, n)
	for i := range us {
		u := User{ID: fmt.Sprintf("u%06d", i), Name: string([]rune{surnames[i%len(surnames)], given[(i/len(surnames))%len(given)], given[(i/7)%len(given)]}),
			Email: fmt.Sprintf("user%d@example.com", i), Phone: fmt.Sprintf("+86 139%08d", i), Status: Active}
		u.Pinyin, u.Initials = romanize(u.Name)
		us[i] = u
	}
	return us
}

// BenchmarkIndexRebuild measures loading the search index of 100,000
// users, without the store.
func BenchmarkIndexRebuild(b *testing.B) {
	us := benchUsers(100000)
	b.ReportAllocs()
	for b.Loop() {
		var x searchIndex
		x.apply(us, true)
	}
}

// BenchmarkIndexUpdate measures catching up with one written user at
// 100,000 users.
func BenchmarkIndexUpdate(b *testing.B) {
	us := benchUsers(100000)
	var x searchIndex
	x.apply(us, true)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		u := us[i%len(us)]
		i++
		u.Status = []Status{Active, Suspended}[i%2]
		x.apply([]User{u}, false)
	}
}
