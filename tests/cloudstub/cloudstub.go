// Package cloudstub stands in for the Pulumi Cloud REST API on loopback, for
// the end-to-end tests of organization-wide enforcement: `pulumi policy
// publish` (create, upload, complete) and `pulumi preview` on a stack whose
// backend it is, which gets the organization's required policy packs. It
// answers only the calls the CLI v3.274.1 makes for those (read from
// pkg/backend/httpstate/client), the way the service answers them, records
// what it receives, and answers anything else with 404, recorded as
// unanswered. Shapes are the CLI's own (sdk/go/common/apitype).
package cloudstub

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// updateLease is the lease token every update gets.
const updateLease = "update-lease"

// Pack is one published policy pack version as the stand-in holds it.
type Pack struct {
	Request  apitype.CreatePolicyPackRequest // what the CLI sent to create it
	Version  int                             // the service's version number
	Tarball  []byte                          // what the CLI uploaded
	Complete bool                            // the CLI signalled the publish complete
}

// Required is a published pack the organization requires on every stack,
// with its organization config: policy name -> object, the shape `pulumi
// policy enable --config` sends (a level is {"enforcementLevel": ...}; the
// string shorthand of a local config file is expanded by the CLI first).
type Required struct {
	Name, VersionTag string
	Config           map[string]any
}

// Server is the stand-in. Org and User name the one organization and user
// it knows; Token is the access token it accepts.
type Server struct {
	URL               string
	Org, User, Token  string
	mu                sync.Mutex
	packs             map[string]*Pack // name@versionTag
	stacks            map[string]*apitype.Stack
	required          []Required
	previews          []apitype.UpdateProgramRequest
	completed         []apitype.UpdateStatus
	unanswered, calls []string
	srv               *http.Server
}

// Start serves the stand-in on a loopback port until Close.
func Start(org, user, token string) (*Server, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		URL: "http://" + lis.Addr().String(), Org: org, User: user, Token: token,
		packs: map[string]*Pack{}, stacks: map[string]*apitype.Stack{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/user", s.user)
	mux.HandleFunc("GET /api/user/organizations/default", s.defaultOrg)
	mux.HandleFunc("GET /api/capabilities", s.capabilities)
	mux.HandleFunc("POST /api/orgs/{org}/policypacks", s.createPack)
	mux.HandleFunc("PUT /storage/{org}/{name}/{tag}", s.upload)
	mux.HandleFunc("POST /api/orgs/{org}/policypacks/{name}/versions/{tag}/complete", s.completePublish)
	mux.HandleFunc("GET /api/orgs/{org}/policypacks/{name}/versions/{tag}", s.getPack)
	mux.HandleFunc("GET /storage/{org}/{name}/{tag}", s.download)
	mux.HandleFunc("GET /api/stacks/{org}/{project}/{stack}", s.getStack)
	mux.HandleFunc("POST /api/stacks/{org}/{project}", s.createStack)
	mux.HandleFunc("GET /api/stacks/{org}/{project}/{stack}/export", s.export)
	mux.HandleFunc("POST /api/stacks/{org}/{project}/{stack}/preview", s.createPreview)
	mux.HandleFunc("POST /api/stacks/{org}/{project}/{stack}/update/{id}", s.startUpdate)
	mux.HandleFunc("POST /api/stacks/{org}/{project}/{stack}/update/{id}/events/batch", s.events)
	mux.HandleFunc("POST /api/stacks/{org}/{project}/{stack}/update/{id}/complete", s.completeUpdate)
	mux.HandleFunc("/", s.notFound)
	s.srv = &http.Server{Handler: s.middleware(mux)}
	go s.srv.Serve(lis) //nolint:errcheck // ends with Close
	return s, nil
}

// Close stops the stand-in.
func (s *Server) Close() error { return s.srv.Close() }

// Require makes a published pack required on every stack of the organization.
func (s *Server) Require(r Required) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.required = append(s.required, r)
}

// Pack returns a published pack version, if the CLI created it.
func (s *Server) Pack(name, versionTag string) (Pack, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.packs[name+"@"+versionTag]
	if !ok {
		return Pack{}, false
	}
	return *p, true
}

// Calls lists every request received, as "METHOD path", in order.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// Unanswered lists the requests the stand-in has no answer for.
func (s *Server) Unanswered() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.unanswered...)
}

// Previews are the preview requests received (program, config, options).
func (s *Server) Previews() []apitype.UpdateProgramRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]apitype.UpdateProgramRequest(nil), s.previews...)
}

// Completed are the statuses the CLI completed its updates with.
func (s *Server) Completed() []apitype.UpdateStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]apitype.UpdateStatus(nil), s.completed...)
}

// middleware records each call, refuses a wrong token on the API (the
// service's 401), and inflates gzipped request bodies (the CLI compresses
// large ones).
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls = append(s.calls, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/api/") && !s.authorized(r) {
			writeError(w, http.StatusUnauthorized, "Unauthorized: No credentials provided or are invalid.")
			return
		}
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				writeError(w, http.StatusBadRequest, "bad gzip body: "+err.Error())
				return
			}
			r.Body = zr
		}
		next.ServeHTTP(w, r)
	})
}

// authorized accepts the access token, and within an update the lease
// token the update was started with (the CLI's "update-token" scheme).
func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if auth == "token "+s.Token {
		return true
	}
	return auth == "update-token "+updateLease && strings.Contains(r.URL.Path, "/update/")
}

func (s *Server) user(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{"githubLogin": s.User, "organizations": []map[string]string{{"githubLogin": s.Org}}})
}

func (s *Server) defaultOrg(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, apitype.GetDefaultOrganizationResponse{GitHubLogin: s.Org})
}

// capabilities: none beyond the basic API (no batched journal, no deployments).
func (s *Server) capabilities(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, apitype.CapabilitiesResponse{})
}

func (s *Server) orgOK(w http.ResponseWriter, r *http.Request) bool {
	if org := r.PathValue("org"); org != s.Org {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Organization '%s' not found", org))
		return false
	}
	return true
}

func (s *Server) createPack(w http.ResponseWriter, r *http.Request) {
	if !s.orgOK(w, r) {
		return
	}
	var req apitype.CreatePolicyPackRequest
	if !readJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := req.Name + "@" + req.VersionTag
	if _, ok := s.packs[key]; ok {
		// What the service answers for a version that exists: it is immutable.
		writeError(w, http.StatusConflict, fmt.Sprintf(
			"Policy Pack %q already has a version with the tag %q. Each version of a Policy Pack must have a unique version tag.",
			req.Name, req.VersionTag))
		return
	}
	version := 1
	for _, p := range s.packs {
		if p.Request.Name == req.Name {
			version++
		}
	}
	s.packs[key] = &Pack{Request: req, Version: version}
	writeJSON(w, apitype.CreatePolicyPackResponse{Version: version, UploadURI: s.storageURL(req.Name, req.VersionTag)})
}

func (s *Server) storageURL(name, versionTag string) string {
	return s.URL + "/storage/" + s.Org + "/" + name + "/" + versionTag
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.packs[r.PathValue("name")+"@"+r.PathValue("tag")]
	if !ok {
		writeError(w, http.StatusNotFound, "no such upload")
		return
	}
	p.Tarball = b
}

func (s *Server) completePublish(w http.ResponseWriter, r *http.Request) {
	if !s.orgOK(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.packs[r.PathValue("name")+"@"+r.PathValue("tag")]
	if !ok || p.Tarball == nil {
		writeError(w, http.StatusNotFound, "Policy Pack version not found or not uploaded")
		return
	}
	p.Complete = true
	w.WriteHeader(http.StatusNoContent)
}

// getPack answers the read-back after a publish (CLI v3.274: it renders it).
func (s *Server) getPack(w http.ResponseWriter, r *http.Request) {
	if !s.orgOK(w, r) {
		return
	}
	s.mu.Lock()
	p, ok := s.packs[r.PathValue("name")+"@"+r.PathValue("tag")]
	s.mu.Unlock()
	if !ok || !p.Complete {
		writeError(w, http.StatusNotFound, "Policy Pack version not found")
		return
	}
	writeJSON(w, apitype.GetPolicyPackResponse{
		Name: p.Request.Name, DisplayName: p.Request.DisplayName, Version: p.Version, VersionTag: p.Request.VersionTag,
		Policies: p.Request.Policies,
	})
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.packs[r.PathValue("name")+"@"+r.PathValue("tag")]
	s.mu.Unlock()
	if !ok || !p.Complete {
		writeError(w, http.StatusNotFound, "no such object")
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(p.Tarball)))
	w.Write(p.Tarball) //nolint:errcheck // the client sees a short body
}

func stackKey(r *http.Request) string {
	return r.PathValue("org") + "/" + r.PathValue("project") + "/" + r.PathValue("stack")
}

func (s *Server) getStack(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st, ok := s.stacks[stackKey(r)]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Stack '%s' not found", stackKey(r)))
		return
	}
	writeJSON(w, st)
}

func (s *Server) createStack(w http.ResponseWriter, r *http.Request) {
	if !s.orgOK(w, r) {
		return
	}
	var req apitype.CreateStackRequest
	if !readJSON(w, r, &req) {
		return
	}
	key := r.PathValue("org") + "/" + r.PathValue("project") + "/" + req.StackName
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.stacks[key]; ok {
		writeError(w, http.StatusConflict, fmt.Sprintf("Stack '%s' already exists", key))
		return
	}
	s.stacks[key] = &apitype.Stack{
		OrgName: r.PathValue("org"), ProjectName: r.PathValue("project"), StackName: tokens.QName(req.StackName),
		Tags: req.Tags,
	}
	writeJSON(w, apitype.CreateStackResponse{})
}

// export answers with an empty deployment: the stand-in keeps no state, and
// a preview reads none.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.stacks[stackKey(r)]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Stack '%s' not found", stackKey(r)))
		return
	}
	writeJSON(w, apitype.UntypedDeployment{Version: 3, Deployment: json.RawMessage(`{"manifest":{"time":"2026-01-01T00:00:00Z","magic":"","version":""},"resources":[]}`)})
}

func (s *Server) createPreview(w http.ResponseWriter, r *http.Request) {
	var req apitype.UpdateProgramRequest
	if !readJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.previews = append(s.previews, req)
	resp := apitype.UpdateProgramResponse{UpdateID: "preview-" + strconv.Itoa(len(s.previews))}
	for _, rq := range s.required {
		p, ok := s.packs[rq.Name+"@"+rq.VersionTag]
		if !ok || !p.Complete {
			writeError(w, http.StatusInternalServerError, "required policy pack "+rq.Name+"@"+rq.VersionTag+" is not published")
			return
		}
		config := map[string]*json.RawMessage{}
		for name, c := range rq.Config {
			b, err := json.Marshal(c)
			if err != nil {
				writeError(w, http.StatusInternalServerError, err.Error())
				return
			}
			raw := json.RawMessage(b)
			config[name] = &raw
		}
		resp.RequiredPolicies = append(resp.RequiredPolicies, apitype.RequiredPolicy{
			Name: rq.Name, Version: p.Version, VersionTag: rq.VersionTag, DisplayName: p.Request.DisplayName,
			PackLocation: s.storageURL(rq.Name, rq.VersionTag), Config: config,
		})
	}
	writeJSON(w, resp)
}

func (s *Server) startUpdate(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, apitype.StartUpdateResponse{Version: 1, Token: updateLease, TokenExpiration: 4102444800})
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	var batch apitype.EngineEventBatch
	if !readJSON(w, r, &batch) {
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Server) completeUpdate(w http.ResponseWriter, r *http.Request) {
	var req apitype.CompleteUpdateRequest
	if !readJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	s.completed = append(s.completed, req.Status)
	s.mu.Unlock()
	writeJSON(w, struct{}{})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.unanswered = append(s.unanswered, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	writeError(w, http.StatusNotFound, "Not Found")
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client sees a short body
}

// writeError answers the way the service does: the status and an
// apitype.ErrorResponse body, which the CLI prints as "[code] message".
func writeError(w http.ResponseWriter, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(apitype.ErrorResponse{Code: code, Message: message}) //nolint:errcheck
}
