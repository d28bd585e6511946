package fifa_test

import (
	"io/fs"
	"os/exec"
	"strings"
	"testing"

	"github.com/betcity/betcity/assets"
	"github.com/betcity/betcity/server/fifa"
)

func TestCodeForName(t *testing.T) {
	cases := []struct {
		name, want string
	}{
		{"England", "ENG"},
		{"Korea Republic", "KOR"},
		{"South Korea", "KOR"},
		{"USA", "USA"},
		{"United States", "USA"},
		{"IR Iran", "IRN"},
		{"Iran", "IRN"},
		{"Côte d'Ivoire", "CIV"},
		{"Cote d’Ivoire", "CIV"},
		{"Ivory Coast", "CIV"},
		{"Czech Republic", "CZE"},
		{"Czechia", "CZE"},
		{"Türkiye", "TUR"},
		{"Turkey", "TUR"},
		{"Bosnia & Herzegovina", "BIH"},
		{"bosnia and herzegovina", "BIH"},
		{"Curaçao", "CUW"},
		{"DR Congo", "COD"},
		{"  scotland ", "SCO"},
		{"GER", "GER"}, // a code is accepted as its own name
		{"sui", "SUI"},
	}
	for _, c := range cases {
		got, ok := fifa.CodeForName(c.name)
		if !ok || got != c.want {
			t.Errorf("CodeForName(%q) = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
	for _, unknown := range []string{"", "W49", "1A", "Atlantis", "Al Ahly SC (EGY)"} {
		if got, ok := fifa.CodeForName(unknown); ok {
			t.Errorf("CodeForName(%q) = %q, want not found", unknown, got)
		}
	}
}

// TestSampleTeams lists every team that played in the World Cups 2018, 2022
// and 2026, the Euros 2020 and 2024 and the 2026 qualifying play-offs, spelled
// as openfootball spells them.
func TestSampleTeams(t *testing.T) {
	names := []string{
		// World Cup 2018
		"Argentina", "Australia", "Belgium", "Brazil", "Colombia", "Costa Rica", "Croatia", "Denmark",
		"Egypt", "England", "France", "Germany", "Iceland", "Iran", "Japan", "Mexico", "Morocco",
		"Nigeria", "Panama", "Peru", "Poland", "Portugal", "Russia", "Saudi Arabia", "Senegal",
		"Serbia", "South Korea", "Spain", "Sweden", "Switzerland", "Tunisia", "Uruguay",
		// World Cup 2022 (new ones)
		"Cameroon", "Canada", "Ecuador", "Ghana", "Netherlands", "Qatar", "USA", "Wales",
		// World Cup 2026 (new ones)
		"Algeria", "Austria", "Bosnia & Herzegovina", "Cape Verde", "Curaçao", "Czech Republic",
		"DR Congo", "Haiti", "Iraq", "Ivory Coast", "Jordan", "New Zealand", "Norway", "Paraguay",
		"Scotland", "South Africa", "Turkey", "Uzbekistan",
		// 2026 play-offs
		"Albania", "Bolivia", "Italy", "Jamaica", "Kosovo", "New Caledonia", "North Macedonia",
		"Northern Ireland", "Republic of Ireland", "Romania", "Slovakia", "Suriname", "Ukraine",
		// Euros 2020 and 2024 (new ones)
		"Finland", "Hungary", "Georgia", "Slovenia",
	}
	for _, n := range names {
		code, ok := fifa.CodeForName(n)
		if !ok {
			t.Errorf("no FIFA code for %q", n)
			continue
		}
		if _, ok := fifa.FlagFile(code); !ok {
			t.Errorf("no flag for %q (%s)", n, code)
		}
	}
}

func TestFlagFile(t *testing.T) {
	cases := map[string]string{
		"ENG": "gb-eng.svg", "SCO": "gb-sct.svg", "WAL": "gb-wls.svg", "NIR": "gb-nir.svg",
		"GER": "de.svg", "SUI": "ch.svg", "KSA": "sa.svg", "usa": "us.svg", "KVX": "xk.svg",
	}
	for code, want := range cases {
		got, ok := fifa.FlagFile(code)
		if !ok || got != want {
			t.Errorf("FlagFile(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	if got, ok := fifa.FlagFile("XXX"); ok {
		t.Errorf("FlagFile(XXX) = %q, want not found", got)
	}
}

// TestTableIsConsistent guards the hand-written table: a spelling listed
// under two codes would make lookups depend on table order, and a code
// without a shipped flag would render as a broken image.
func TestTableIsConsistent(t *testing.T) {
	seen := map[string]string{}
	for _, code := range fifa.Codes() {
		if len(code) != 3 || strings.ToUpper(code) != code {
			t.Errorf("malformed code %q", code)
		}
		if prev, dup := seen[code]; dup {
			t.Errorf("code %s listed twice (%s)", code, prev)
		}
		seen[code] = code
		file, ok := fifa.FlagFile(code)
		if !ok {
			t.Errorf("%s has no flag file", code)
			continue
		}
		data, err := fs.ReadFile(assets.FS, "flags/"+file)
		if err != nil {
			t.Errorf("%s: flag %s is not shipped in assets: %v", code, file, err)
			continue
		}
		if !strings.Contains(string(data), "<svg") {
			t.Errorf("%s: %s is not an SVG", code, file)
		}
	}
}

// TestShippedFlagsMatchTable keeps assets/flags exactly what the table
// needs: no orphan files that nothing can reach.
func TestShippedFlagsMatchTable(t *testing.T) {
	want := map[string]bool{"LICENSE": true}
	for _, code := range fifa.Codes() {
		file, _ := fifa.FlagFile(code)
		want[file] = true
	}
	entries, err := fs.ReadDir(assets.FS, "flags")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("assets/flags/%s is not used by any team in the table", e.Name())
		}
	}
	license, err := fs.ReadFile(assets.FS, "flags/LICENSE")
	if err != nil || !strings.Contains(string(license), "MIT License") {
		t.Errorf("flags/LICENSE missing or not the MIT text: %v", err)
	}
}

// TestFlagListCommand runs the command the update script relies on.
func TestFlagListCommand(t *testing.T) {
	out, err := exec.Command("go", "run", "./cmd/fifaflags").Output()
	if err != nil {
		t.Fatalf("fifaflags: %v", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != len(fifa.Codes()) {
		t.Errorf("fifaflags printed %d files, table has %d codes", len(lines), len(fifa.Codes()))
	}
}
