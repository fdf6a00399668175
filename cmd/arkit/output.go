// Machine-readable output: every --json result is one JSON object on one
// line of stdout (JSON lines for several), and an evaluation's object holds
// the library's score with the model file, the data and the time taken, in
// every domain.

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// printJSON prints v as one line of JSON on stdout.
func printJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the result: %w", err)
	}
	_, err = fmt.Fprintln(os.Stdout, string(b))
	return err
}

// printScore prints an evaluation's score (a struct with JSON tags) as one
// JSON object with "model", "data" and "seconds" added.
func printScore(score any, model string, data []string, start time.Time) error {
	b, err := json.Marshal(score)
	if err != nil {
		return fmt.Errorf("encoding the result: %w", err)
	}
	obj := map[string]any{}
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("encoding the result: %w", err)
	}
	obj["model"], obj["data"], obj["seconds"] = model, strings.Join(data, ","), time.Since(start).Seconds()
	return printJSON(obj)
}
