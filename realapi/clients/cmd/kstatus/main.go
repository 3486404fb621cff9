// kstatus prints the kstatus result (sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute, the
// function Flux's health checks and `kubectl`-style waiters call for a custom resource) of every
// object it reads, one JSON line per object:
//
//	kstatus [file|-]...   # YAML or JSON; several documents or a List are fine; no argument = stdin
//	{"kind":"PiStack","namespace":"ns","name":"pi","status":"InProgress","message":"...","conditions":[...]}
//
// It exits 1 if an object cannot be read or kstatus returns an error.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"pistack.io/realapi/clients/internal/objects"
)

type line struct {
	Kind       string             `json:"kind"`
	Namespace  string             `json:"namespace,omitempty"`
	Name       string             `json:"name"`
	Status     string             `json:"status"`
	Message    string             `json:"message"`
	Conditions []status.Condition `json:"conditions"`
}

func main() {
	paths := os.Args[1:]
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	enc := json.NewEncoder(os.Stdout)
	failed := false
	for _, p := range paths {
		objs, err := objects.Read(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kstatus: %s: %v\n", p, err)
			failed = true
			continue
		}
		for _, o := range objs {
			u := &unstructured.Unstructured{Object: o}
			res, err := status.Compute(u)
			if err != nil {
				fmt.Fprintf(os.Stderr, "kstatus: %s %s/%s: %v\n", u.GetKind(), u.GetNamespace(), u.GetName(), err)
				failed = true
				continue
			}
			conds := res.Conditions
			if conds == nil {
				conds = []status.Condition{}
			}
			_ = enc.Encode(line{u.GetKind(), u.GetNamespace(), u.GetName(), string(res.Status), res.Message, conds})
		}
	}
	if failed {
		os.Exit(1)
	}
}
