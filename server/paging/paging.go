// Package paging holds the one page request every list endpoint takes.
package paging

// Page is a 1-based page request.
type Page struct {
	Number  int
	PerPage int
}

const (
	DefaultPerPage = 50
	MaxPerPage     = 200
)

// Normalize clamps a page to sane bounds instead of failing, so a hand-typed
// URL still answers.
func (p Page) Normalize() Page {
	if p.Number < 1 {
		p.Number = 1
	}
	if p.PerPage < 1 {
		p.PerPage = DefaultPerPage
	}
	if p.PerPage > MaxPerPage {
		p.PerPage = MaxPerPage
	}
	return p
}

func (p Page) Offset() int { return (p.Number - 1) * p.PerPage }
