package main

import (
	"fmt"
	"sort"
	"strings"
)

// markdownLimit keeps the summary within a GitHub pull-request comment
// (65,536 characters); $GITHUB_STEP_SUMMARY takes up to 1 MiB.
const markdownLimit = 60000

var severityRank = map[string]int{"critical": 0, "high": 1, "medium": 2, "low": 3, "": 4}

var levelIcon = map[string]string{"mandatory": "❌", "advisory": "⚠️"}

// buildMarkdown writes a summary by policy and severity, then each violation,
// worst first, cut short (and saying so) beyond markdownLimit.
func buildMarkdown(r *run) []byte {
	var b strings.Builder
	mandatory, advisory, exempted := 0, 0, 0
	for _, v := range r.Violations {
		switch {
		case !v.failing():
			exempted++
		case v.Level == "mandatory":
			mandatory++
		default:
			advisory++
		}
	}
	fmt.Fprintf(&b, "## Policy results: %s/%s\n\n", r.Project, r.Stack)
	if len(r.Violations) == 0 {
		fmt.Fprintf(&b, "✅ No violations; %d policy checks ran.\n", len(r.Tests))
		return []byte(b.String())
	}
	fmt.Fprintf(&b, "**%d mandatory**, **%d advisory**, %d exempted violation(s); %d policy checks ran.\n\n", mandatory, advisory, exempted, len(r.Tests))

	type row struct {
		pack, policy, severity string
		mandatory, advisory    int
		exempted               int
	}
	rows := map[[2]string]*row{}
	info := map[[2]string]policyInfo{}
	for _, p := range r.Policies {
		info[[2]string{p.Pack, p.Name}] = p
	}
	for _, v := range r.Violations {
		k := [2]string{v.Pack, v.Policy}
		rw, ok := rows[k]
		if !ok {
			rw = &row{pack: v.Pack, policy: v.Policy, severity: v.Severity}
			rows[k] = rw
		}
		switch {
		case !v.failing():
			rw.exempted++
		case v.Level == "mandatory":
			rw.mandatory++
		default:
			rw.advisory++
		}
	}
	sorted := make([]*row, 0, len(rows))
	for _, rw := range rows {
		sorted = append(sorted, rw)
	}
	sort.Slice(sorted, func(i, j int) bool {
		a, c := sorted[i], sorted[j]
		if severityRank[a.severity] != severityRank[c.severity] {
			return severityRank[a.severity] < severityRank[c.severity]
		}
		if a.mandatory != c.mandatory {
			return a.mandatory > c.mandatory
		}
		return a.pack+"/"+a.policy < c.pack+"/"+c.policy
	})
	b.WriteString("| Policy | Severity | Mandatory | Advisory | Exempted |\n| --- | --- | ---: | ---: | ---: |\n")
	for _, rw := range sorted {
		name := "`" + rw.policy + "`"
		if p := info[[2]string{rw.pack, rw.policy}]; p.URL != "" {
			name = "[" + name + "](" + p.URL + ")"
		}
		if rw.pack != r.Pack.Name {
			name += " (" + mdEscape(rw.pack) + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", name, orDash(rw.severity), rw.mandatory, rw.advisory, rw.exempted)
	}

	b.WriteString("\n### Violations\n\n")
	vs := append([]violation(nil), r.Violations...)
	sort.SliceStable(vs, func(i, j int) bool {
		a, c := vs[i], vs[j]
		if a.failing() != c.failing() {
			return a.failing()
		}
		if (a.Level == "mandatory") != (c.Level == "mandatory") {
			return a.Level == "mandatory"
		}
		return severityRank[a.Severity] < severityRank[c.Severity]
	})
	for i, v := range vs {
		_, _, name, _ := parseURN(v.URN)
		icon := levelIcon[v.Level]
		if !v.failing() {
			icon = "💤"
		}
		line := fmt.Sprintf("- %s **%s** `%s`", icon, v.Level, v.Policy)
		if name != "" {
			line += fmt.Sprintf(" on `%s`", name)
			if v.Type != "" {
				line += fmt.Sprintf(" (`%s`)", v.Type)
			}
		}
		if v.Location != nil {
			line += " at `" + v.Location.String() + "`"
		}
		line += ": " + mdEscape(firstLine(v.Message))
		if !v.failing() && !strings.Contains(v.Message, v.Exemption.Note) {
			line += " (exempted: " + mdEscape(v.Exemption.Note) + ")"
		}
		line += "\n"
		if b.Len()+len(line) > markdownLimit {
			fmt.Fprintf(&b, "\n… and %d more violation(s): see the SARIF or JUnit report.\n", len(vs)-i)
			break
		}
		b.WriteString(line)
	}
	return []byte(b.String())
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// mdEscape keeps a message from breaking the list or the table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\r", " ", "\n", " ").Replace(s)
}
