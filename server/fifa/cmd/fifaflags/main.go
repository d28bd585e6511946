// Command fifaflags prints, one per line, the flag file every team in the
// fifa table needs. scripts/update-flags.sh reads it so the shipped flags
// follow the table instead of a second hand-kept list.
package main

import (
	"fmt"
	"os"

	"github.com/betcity/betcity/server/fifa"
)

func main() {
	for _, code := range fifa.Codes() {
		file, ok := fifa.FlagFile(code)
		if !ok {
			fmt.Fprintf(os.Stderr, "fifaflags: no flag for %s\n", code)
			os.Exit(1)
		}
		fmt.Println(file)
	}
}
