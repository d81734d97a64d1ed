module example.com/acme/org-pack

go 1.26.6

require (
	github.com/mlguard/mlguard v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/pulumi/pulumi/sdk/v3 v3.274.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260803160001-6ac0973c030d // indirect
	google.golang.org/grpc v1.83.2 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)

// In the repository the example builds against the mlguard beside it. An
// organization's own module requires a released mlguard version instead.
replace github.com/mlguard/mlguard => ../..
