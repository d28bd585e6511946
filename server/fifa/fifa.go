// Package fifa maps national-team names, as football data sources spell
// them, to FIFA three-letter codes, and those codes to the flag files shipped
// in the assets package.
//
// Sources disagree on names ("South Korea" vs "Korea Republic", "Turkey" vs
// "Türkiye", "Ivory Coast" vs "Côte d'Ivoire"), so the table lists every
// spelling we have met and lookups ignore case, accents, punctuation and
// "&"/"and". The FIFA code is the stable identity the rest of BetCity keys
// teams on; the display name comes from the data file.
package fifa

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// team is one FIFA member association. flag is the file stem in
// assets/flags (ISO 3166-1 alpha-2 in lower case, or the flag-icons
// subdivision name for the home nations, which have no ISO country code).
type team struct {
	code  string
	flag  string
	names []string
}

// table is read-only reference data, never mutated after compilation; a
// literal is clearer than building it in a constructor every caller must
// thread through.
var table = []team{
	// UEFA
	{"ALB", "al", []string{"Albania"}},
	{"AND", "ad", []string{"Andorra"}},
	{"ARM", "am", []string{"Armenia"}},
	{"AUT", "at", []string{"Austria"}},
	{"AZE", "az", []string{"Azerbaijan"}},
	{"BEL", "be", []string{"Belgium"}},
	{"BIH", "ba", []string{"Bosnia and Herzegovina", "Bosnia & Herzegovina", "Bosnia-Herzegovina", "Bosnia"}},
	{"BLR", "by", []string{"Belarus"}},
	{"BUL", "bg", []string{"Bulgaria"}},
	{"CRO", "hr", []string{"Croatia"}},
	{"CYP", "cy", []string{"Cyprus"}},
	{"CZE", "cz", []string{"Czech Republic", "Czechia"}},
	{"DEN", "dk", []string{"Denmark"}},
	{"ENG", "gb-eng", []string{"England"}},
	{"ESP", "es", []string{"Spain"}},
	{"EST", "ee", []string{"Estonia"}},
	{"FIN", "fi", []string{"Finland"}},
	{"FRA", "fr", []string{"France"}},
	{"FRO", "fo", []string{"Faroe Islands"}},
	{"GEO", "ge", []string{"Georgia"}},
	{"GER", "de", []string{"Germany"}},
	{"GIB", "gi", []string{"Gibraltar"}},
	{"GRE", "gr", []string{"Greece"}},
	{"HUN", "hu", []string{"Hungary"}},
	{"IRL", "ie", []string{"Republic of Ireland", "Ireland", "Rep. of Ireland"}},
	{"ISL", "is", []string{"Iceland"}},
	{"ISR", "il", []string{"Israel"}},
	{"ITA", "it", []string{"Italy"}},
	{"KAZ", "kz", []string{"Kazakhstan"}},
	{"KVX", "xk", []string{"Kosovo"}},
	{"LIE", "li", []string{"Liechtenstein"}},
	{"LTU", "lt", []string{"Lithuania"}},
	{"LUX", "lu", []string{"Luxembourg"}},
	{"LVA", "lv", []string{"Latvia"}},
	{"MDA", "md", []string{"Moldova"}},
	{"MKD", "mk", []string{"North Macedonia", "Macedonia", "FYR Macedonia"}},
	{"MLT", "mt", []string{"Malta"}},
	{"MNE", "me", []string{"Montenegro"}},
	{"NED", "nl", []string{"Netherlands", "Holland"}},
	{"NIR", "gb-nir", []string{"Northern Ireland"}},
	{"NOR", "no", []string{"Norway"}},
	{"POL", "pl", []string{"Poland"}},
	{"POR", "pt", []string{"Portugal"}},
	{"ROU", "ro", []string{"Romania"}},
	{"RUS", "ru", []string{"Russia"}},
	{"SCO", "gb-sct", []string{"Scotland"}},
	{"SMR", "sm", []string{"San Marino"}},
	{"SRB", "rs", []string{"Serbia"}},
	{"SUI", "ch", []string{"Switzerland"}},
	{"SVK", "sk", []string{"Slovakia"}},
	{"SVN", "si", []string{"Slovenia"}},
	{"SWE", "se", []string{"Sweden"}},
	{"TUR", "tr", []string{"Turkey", "Türkiye", "Turkiye"}},
	{"UKR", "ua", []string{"Ukraine"}},
	{"WAL", "gb-wls", []string{"Wales"}},

	// CONMEBOL
	{"ARG", "ar", []string{"Argentina"}},
	{"BOL", "bo", []string{"Bolivia"}},
	{"BRA", "br", []string{"Brazil"}},
	{"CHI", "cl", []string{"Chile"}},
	{"COL", "co", []string{"Colombia"}},
	{"ECU", "ec", []string{"Ecuador"}},
	{"PAR", "py", []string{"Paraguay"}},
	{"PER", "pe", []string{"Peru"}},
	{"URU", "uy", []string{"Uruguay"}},
	{"VEN", "ve", []string{"Venezuela"}},

	// CONCACAF
	{"CAN", "ca", []string{"Canada"}},
	{"CRC", "cr", []string{"Costa Rica"}},
	{"CUW", "cw", []string{"Curaçao", "Curacao"}},
	{"HAI", "ht", []string{"Haiti"}},
	{"HON", "hn", []string{"Honduras"}},
	{"JAM", "jm", []string{"Jamaica"}},
	{"MEX", "mx", []string{"Mexico"}},
	{"PAN", "pa", []string{"Panama"}},
	{"SLV", "sv", []string{"El Salvador"}},
	{"SUR", "sr", []string{"Suriname"}},
	{"TRI", "tt", []string{"Trinidad and Tobago", "Trinidad & Tobago"}},
	{"USA", "us", []string{"USA", "United States", "United States of America", "US"}},

	// CAF
	{"ALG", "dz", []string{"Algeria"}},
	{"ANG", "ao", []string{"Angola"}},
	{"BFA", "bf", []string{"Burkina Faso"}},
	{"CIV", "ci", []string{"Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"}},
	{"CMR", "cm", []string{"Cameroon"}},
	{"COD", "cd", []string{"DR Congo", "Congo DR", "Democratic Republic of the Congo"}},
	{"CPV", "cv", []string{"Cape Verde", "Cabo Verde", "Cape Verde Islands"}},
	{"EGY", "eg", []string{"Egypt"}},
	{"GHA", "gh", []string{"Ghana"}},
	{"GUI", "gn", []string{"Guinea"}},
	{"MAR", "ma", []string{"Morocco"}},
	{"MLI", "ml", []string{"Mali"}},
	{"NGA", "ng", []string{"Nigeria"}},
	{"RSA", "za", []string{"South Africa"}},
	{"SEN", "sn", []string{"Senegal"}},
	{"TOG", "tg", []string{"Togo"}},
	{"TUN", "tn", []string{"Tunisia"}},

	// AFC
	{"AUS", "au", []string{"Australia"}},
	{"CHN", "cn", []string{"China", "China PR"}},
	{"IRN", "ir", []string{"Iran", "IR Iran"}},
	{"IRQ", "iq", []string{"Iraq"}},
	{"JOR", "jo", []string{"Jordan"}},
	{"JPN", "jp", []string{"Japan"}},
	{"KOR", "kr", []string{"South Korea", "Korea Republic", "Korea", "Republic of Korea"}},
	{"KSA", "sa", []string{"Saudi Arabia"}},
	{"PRK", "kp", []string{"North Korea", "Korea DPR"}},
	{"QAT", "qa", []string{"Qatar"}},
	{"UAE", "ae", []string{"United Arab Emirates", "UAE"}},
	{"UZB", "uz", []string{"Uzbekistan"}},

	// OFC
	{"NCL", "nc", []string{"New Caledonia"}},
	{"NZL", "nz", []string{"New Zealand"}},
}

// fold reduces a name to the form lookups compare: accents dropped,
// lower case, "&" read as "and", and only letters and digits kept, so that
// "Côte d'Ivoire", "Cote d’Ivoire" and "COTE DIVOIRE" all meet.
func fold(name string) string {
	stripped, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		stripped = name
	}
	stripped = strings.ReplaceAll(stripped, "&", " and ")
	var b strings.Builder
	for _, r := range strings.ToLower(stripped) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CodeForName returns the FIFA code for a team name in any spelling the
// table knows, or for a name that already is a known FIFA code ("GER").
func CodeForName(name string) (string, bool) {
	key := fold(name)
	if key == "" {
		return "", false
	}
	for _, t := range table {
		for _, n := range t.names {
			if fold(n) == key {
				return t.code, true
			}
		}
	}
	// Names win over codes: "USA" is both, and matching a name first keeps
	// a three-letter country name from being read as another team's code.
	if t, ok := byCode(name); ok {
		return t.code, true
	}
	return "", false
}

// FlagFile returns the flag file name (for example "de.svg" or
// "gb-eng.svg") under assets/flags for a FIFA code.
func FlagFile(code string) (string, bool) {
	t, ok := byCode(code)
	if !ok {
		return "", false
	}
	return t.flag + ".svg", true
}

// Codes returns every FIFA code in the table, sorted. The flag update
// script uses it to copy exactly the flags the table needs.
func Codes() []string {
	codes := make([]string, 0, len(table))
	for _, t := range table {
		codes = append(codes, t.code)
	}
	slices.Sort(codes)
	return codes
}

func byCode(code string) (team, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, t := range table {
		if t.code == code {
			return t, true
		}
	}
	return team{}, false
}
