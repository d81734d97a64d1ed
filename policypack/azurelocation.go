package policypack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlguard/mlguard/policy"
)

// Data residency: where Azure resources, and so the data they hold, live.
const azResourceGroup = "azure-native:resources:ResourceGroup"

func azureLocationPolicies() []*policy.Policy { return []*policy.Policy{azureAllowedLocations} }

type locationsConfig struct {
	Locations []string `json:"locations"`
}

// normalLocation is the ARM form of a location: "West Europe" -> "westeurope".
func normalLocation(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

var azureAllowedLocations = &policy.Policy{
	Name:             "azure-allowed-locations",
	DisplayName:      "Azure resources stay in the allowed locations",
	Description:      "With locations configured, every azure-native resource that sets a location, and every resource group, is in one of them (compared in ARM form: \"West Europe\" = westeurope; \"global\" always passes). A location not known at preview that was computed from a resource group's (location=rg.location) is the group's; a resource group without one takes the provider's. No allowlist, no violation. Mandatory when configured: data residency is a legal commitment, and moving a resource means recreating it.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Create the resource (and its resource group) in one of the allowed locations, or add the location to the policy's locations.",
	URL:              docsURL + "azure-allowed-locations",
	Controls:         []policy.Control{azurePolicy("Allowed locations"), psrule("Azure.Resource.AllowedRegions")},
	Tags:             []string{"azure", "data-residency"},
	Config: policy.ConfigFor[locationsConfig](map[string]policy.Schema{
		"locations": {"type": "array", "items": map[string]any{"type": "string", "minLength": 1}, "default": []string{},
			"description": "The Azure locations resources may be in (westeurope or \"West Europe\"); empty: any."},
	}),
	Stack: func(c *policy.StackCheck) {
		cfg := policy.ConfigOf[locationsConfig](c)
		if len(cfg.Locations) == 0 {
			return
		}
		allowed := []string{"global"}
		for _, l := range cfg.Locations {
			allowed = append(allowed, normalLocation(l))
		}
		for _, r := range c.Resources {
			if !strings.HasPrefix(r.Type, "azure-native:") {
				continue
			}
			l := locationOf(c, r)
			switch {
			case !l.known:
				c.NotApplicable(fmt.Sprintf("%s %q: its location is unknown", r.Type, r.Name))
			case !l.judged || slices.Contains(allowed, normalLocation(str(l.v))):
			default:
				c.Violatef(r, l.v, "is %s%s; allowed locations are %s", l.v.Display(), l.from, strings.Join(cfg.Locations, ", "))
			}
		}
	},
}

// resourceLocation is where a resource is: its location value, and where
// that was read when not on the resource itself.
type resourceLocation struct {
	v      policy.Value
	from   string // "", or " (the location of resource group \"ml\")"
	judged bool   // false for a resource that names no location (a sub-resource, judged through its parent)
	known  bool
}

func locationOf(c *policy.StackCheck, r *policy.Resource) resourceLocation {
	if slices.Contains(r.Props.Keys(), "location") {
		v := r.Get("location")
		if !v.HasUnknown() {
			return resourceLocation{v: v, judged: true, known: true}
		}
		// Computed from a resource group's location: the group's.
		for _, urn := range r.PropertyDependencies["location"] {
			if rg := c.ByURN(urn); rg != nil && rg.Kind == azResourceGroup && rg != r {
				l := locationOf(c, rg)
				l.from = fmt.Sprintf(" (the location of resource group %q)", rg.Name)
				return l
			}
		}
		return resourceLocation{v: v, judged: true}
	}
	if r.Kind == azResourceGroup && r.Provider != nil {
		v := r.Provider.Get("location")
		return resourceLocation{v: v, from: " (the provider's location, which the resource group takes)", judged: !v.IsAbsent(), known: !v.HasUnknown()}
	}
	return resourceLocation{known: true}
}
