// Package task organises work around matters (以事为中心): tasks with
// assignees, due times and priorities, often made from a chat message,
// tracked until done.
package task
