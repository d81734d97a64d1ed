// Package sarifcheck validates SARIF files with Microsoft's SARIF Multitool
// (@microsoft/sarif-multitool, pinned in package.json and package-lock.json
// here), installed from npm on first use into the cache and run offline.
package sarifcheck

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Version is the Multitool the lock file pins.
const Version = "5.7.0"

// Ensure installs the Multitool into cacheDir unless it is there (npm ci
// from this directory's lock file) and returns the command to run.
func Ensure(cacheDir string, progress io.Writer) (string, error) {
	_, self, _, _ := runtime.Caller(0)
	lockDir := filepath.Dir(self)
	dir, err := filepath.Abs(filepath.Join(cacheDir, "sarif-multitool-"+Version))
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "node_modules", ".bin", "sarif-multitool")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, f := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(lockDir, f))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(progress, "Installing @microsoft/sarif-multitool %s from npm (first run only, about 100 MB)...\n", Version)
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, progress, progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm ci of the SARIF Multitool: %w", err)
	}
	// npm may skip the package's postinstall (chmod u+x) under a scripts policy.
	native := filepath.Join(dir, "node_modules", "@microsoft", "sarif-multitool-"+runtime.GOOS, "Sarif.Multitool")
	if fi, err := os.Stat(native); err == nil {
		_ = os.Chmod(native, fi.Mode()|0o100)
	}
	return bin, nil
}

// Finding is one problem the Multitool found in a SARIF file.
type Finding struct {
	Rule, Level, Message string
}

// Validate runs `sarif-multitool validate` on file and returns its findings
// at level error; warnings and notes are returned apart.
func Validate(tool, file string) (errs, others []Finding, err error) {
	out := file + ".validation.sarif"
	cmd := exec.Command(tool, "validate", file, "-o", out, "--log", "ForceOverwrite")
	cmd.Env = append(os.Environ(), "DOTNET_CLI_TELEMETRY_OPTOUT=1")
	combined, runErr := cmd.CombinedOutput()
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, nil, fmt.Errorf("sarif-multitool validate wrote no log (%v): %s", runErr, combined)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID                   string `json:"id"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
						MessageStrings map[string]struct {
							Text string `json:"text"`
						} `json:"messageStrings"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					ID        string   `json:"id"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		return nil, nil, fmt.Errorf("reading the Multitool's log %s: %w", out, err)
	}
	for _, r := range log.Runs {
		for _, res := range r.Results {
			level := res.Level
			var text string
			if res.RuleIndex >= 0 && res.RuleIndex < len(r.Tool.Driver.Rules) {
				rule := r.Tool.Driver.Rules[res.RuleIndex]
				if level == "" {
					level = rule.DefaultConfiguration.Level
				}
				text = rule.MessageStrings[res.Message.ID].Text
			}
			if level == "" {
				level = "warning" // SARIF's default
			}
			f := Finding{Rule: res.RuleID, Level: level, Message: text + " " + strings.Join(res.Message.Arguments, ", ")}
			if level == "error" {
				errs = append(errs, f)
			} else {
				others = append(others, f)
			}
		}
	}
	if runErr != nil && len(errs) == 0 {
		return nil, nil, fmt.Errorf("sarif-multitool validate failed without findings: %v: %s", runErr, combined)
	}
	return errs, others, nil
}
