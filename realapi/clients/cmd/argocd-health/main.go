// argocd-health runs an Argo CD resource health check (Lua) on gopher-lua, the interpreter Argo CD
// embeds, set up the way Argo CD runs a check from argocd-cm
// (resource.customizations.health.<group>_<kind>, without useOpenLibs): only the package, base and
// table libraries, a one-second time limit, the live object in the global `obj`, and a table
// {status = ..., message = ...} back. A status outside Argo CD's health codes becomes Unknown with
// "Lua returned an invalid health status"; anything else that is not a table is an error.
//
//	argocd-health run  SCRIPT [FILE|-]     print {"name","status","message"} per object (JSON lines)
//	argocd-health test SCRIPT TESTS.yaml   Argo CD's resource_customizations layout:
//	                                       tests: [{inputPath, healthStatus: {status, message}}],
//	                                       inputPath relative to TESTS.yaml, exact status and message
//
// Flags (before SCRIPT): -open-libs loads every standard library, as Argo CD does for its built-in
// checks and for a customization with useOpenLibs: true.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"

	"pistack.io/realapi/clients/internal/objects"
)

// Health is what a check returns, as Argo CD records it.
type Health struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

var validCodes = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

func main() {
	openLibs := flag.Bool("open-libs", false, "load every Lua standard library (useOpenLibs: true)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: argocd-health [-open-libs] run SCRIPT [FILE|-] | test SCRIPT TESTS.yaml")
	}
	flag.Parse()
	args := flag.Args()
	if len(args) < 2 {
		flag.Usage()
		os.Exit(2)
	}
	script, err := os.ReadFile(args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	switch args[0] {
	case "run":
		in := "-"
		if len(args) > 2 {
			in = args[2]
		}
		os.Exit(run(string(script), in, *openLibs))
	case "test":
		if len(args) != 3 {
			flag.Usage()
			os.Exit(2)
		}
		os.Exit(test(string(script), args[2], *openLibs))
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func run(script, in string, openLibs bool) int {
	objs, err := objects.Read(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	enc := json.NewEncoder(os.Stdout)
	code := 0
	for _, o := range objs {
		name := ""
		if md, ok := o["metadata"].(map[string]any); ok {
			name, _ = md["name"].(string)
		}
		h, err := Evaluate(script, o, openLibs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: health check failed: %v\n", name, err)
			code = 1
			continue
		}
		_ = enc.Encode(struct {
			Name string `json:"name"`
			Health
		}{name, h})
	}
	return code
}

type testFile struct {
	Tests []struct {
		InputPath    string `json:"inputPath"`
		HealthStatus Health `json:"healthStatus"`
	} `json:"tests"`
}

func test(script, testsPath string, openLibs bool) int {
	data, err := os.ReadFile(testsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var tf testFile
	if err := yaml.UnmarshalStrict(data, &tf); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", testsPath, err)
		return 1
	}
	passed, failed := 0, 0
	for _, t := range tf.Tests {
		got, err := evaluateFile(script, filepath.Join(filepath.Dir(testsPath), t.InputPath), openLibs)
		switch {
		case err != nil:
			failed++
			fmt.Printf("FAIL - %s: %v\n", t.InputPath, err)
		case got != t.HealthStatus:
			failed++
			fmt.Printf("FAIL - %s: expected %s (%q), got %s (%q)\n", t.InputPath,
				t.HealthStatus.Status, t.HealthStatus.Message, got.Status, got.Message)
		default:
			passed++
			fmt.Printf("ok   - %s: %s (%s)\n", t.InputPath, got.Status, got.Message)
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		return 1
	}
	return 0
}

func evaluateFile(script, path string, openLibs bool) (Health, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Health{}, err
	}
	objs, err := objects.Parse(data)
	if err != nil {
		return Health{}, err
	}
	obj := map[string]any{} // an empty file is an empty object
	if len(objs) > 1 {
		return Health{}, errors.New("more than one object")
	} else if len(objs) == 1 {
		obj = objs[0]
	}
	return Evaluate(script, obj, openLibs)
}

// Evaluate runs the health check script on one object.
func Evaluate(script string, obj map[string]any, openLibs bool) (Health, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: !openLibs})
	defer L.Close()
	if !openLibs {
		for _, lib := range []struct {
			name string
			open lua.LGFunction
		}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
			if err := L.CallByParam(lua.P{Fn: L.NewFunction(lib.open), Protect: true}, lua.LString(lib.name)); err != nil {
				return Health{}, err
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	L.SetContext(ctx)
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		return Health{}, err
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return Health{}, fmt.Errorf("expect table output from Lua script, not %s", L.Get(-1).Type())
	}
	var h Health
	for key, dst := range map[string]*string{"status": &h.Status, "message": &h.Message} {
		switch v := ret.RawGetString(key).(type) {
		case lua.LString:
			*dst = string(v)
		case *lua.LNilType:
		default:
			return Health{}, fmt.Errorf("%s is a %s, not a string", key, v.Type())
		}
	}
	if !validCodes[h.Status] {
		return Health{Status: "Unknown", Message: "Lua returned an invalid health status"}, nil
	}
	return h, nil
}

// toLua converts a decoded JSON/YAML value: maps and lists become tables (lists 1-based),
// numbers become Lua numbers.
func toLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(x)
	case string:
		return lua.LString(x)
	case json.Number:
		return lua.LString(x)
	case float64:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case int:
		return lua.LNumber(x)
	case []any:
		t := L.CreateTable(len(x), 0)
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(x))
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	}
	return lua.LNil
}
