// celcost prints the estimated CEL cost of a CRD's x-kubernetes-validations rules, as the real API
// server computes it when the CRD is created (k8s.io/apiextensions-apiserver's own validation), next to
// the limit of 100,000,000 for a whole schema, and the rules that cost the most.
//
// The validation only reports the total once it exceeds the limit, so the rules are repeated k times
// (k = 1, 2, 4, ...) until it does; the total of the CRD as written is then factor x limit / k. The
// factor has one decimal from 1.5x on and six below, so where the total is below half the limit it is
// measured again with k chosen to land between 1x and 1.5x: exact to about 1e-6 of the limit.
//
// Usage: celcost <crd.yaml>   Output (stdout, one line each): total=<n> limit=<n> used=<percent>
// followed by "expensive <path>" lines. Exit 1 if the CRD as written is refused.
package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

var factorPattern = regexp.MustCompile(`entire OpenAPIv3 schema exceeds budget by factor of ([0-9.]+)x`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: celcost <crd.yaml>")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	check(err)
	var v1 apiextensionsv1.CustomResourceDefinition
	check(yaml.UnmarshalStrict(data, &v1))

	if errs := validate(&v1, 1); len(errs) > 0 {
		fmt.Println("refused:")
		for _, e := range errs {
			fmt.Println(" ", e)
		}
		os.Exit(1)
	}
	limit := float64(validation.StaticEstimatedCRDCostLimit)
	for k := 2; k <= 1<<10; k *= 2 {
		errs := validate(&v1, k)
		if factor, ok := exceedFactor(errs); ok {
			total := factor * limit / float64(k)
			// The API server prints the factor with one decimal from 1.5x on, with six below it: where the
			// total allows it, repeat the rules so that they just exceed the limit, for a figure exact to 1e-6.
			for k2 := int(limit/total) + 1; k2 <= int(limit/total)+2 && k2 > 1; k2++ {
				errs2 := validate(&v1, k2)
				if f2, ok := exceedFactor(errs2); ok && f2 < 1.5 {
					total, errs = f2*limit/float64(k2), errs2
					break
				}
			}
			fmt.Printf("total=%.0f limit=%.0f used=%.1f%%\n", total, limit, 100*total/limit)
			for _, other := range errs {
				if strings.Contains(other, "contributed to estimated rule cost total") {
					fmt.Println("expensive", strings.SplitN(other, ":", 2)[0])
				}
			}
			return
		}
	}
	fmt.Println("total<100000 limit=100000000 used<0.1%")
}

// exceedFactor reads "exceeds budget by factor of <f>x" for the whole schema from the validation errors.
func exceedFactor(errs []string) (float64, bool) {
	for _, e := range errs {
		if m := factorPattern.FindStringSubmatch(e); m != nil {
			factor, err := strconv.ParseFloat(m[1], 64)
			check(err)
			return factor, true
		}
	}
	return 0, false
}

// validate runs the API server's own CRD validation on a copy whose every rule is repeated k times.
func validate(v1 *apiextensionsv1.CustomResourceDefinition, k int) []string {
	copied := v1.DeepCopy()
	// What the API server fills in before it validates.
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(copied)
	if copied.Spec.Names.ListKind == "" {
		copied.Spec.Names.ListKind = copied.Spec.Names.Kind + "List"
	}
	for _, v := range copied.Spec.Versions {
		if v.Storage {
			copied.Status.StoredVersions = []string{v.Name}
		}
	}
	for i := range copied.Spec.Versions {
		if s := copied.Spec.Versions[i].Schema; s != nil && s.OpenAPIV3Schema != nil {
			repeat(s.OpenAPIV3Schema, k)
		}
	}
	scheme := runtime.NewScheme()
	check(apiextensions.AddToScheme(scheme))
	check(apiextensionsv1.AddToScheme(scheme))
	var internal apiextensions.CustomResourceDefinition
	check(scheme.Convert(copied, &internal, nil))
	var out []string
	for _, e := range validation.ValidateCustomResourceDefinition(context.Background(), &internal) {
		out = append(out, e.Error())
	}
	return out
}

func repeat(s *apiextensionsv1.JSONSchemaProps, k int) {
	if len(s.XValidations) > 0 {
		rules := s.XValidations
		for i := 1; i < k; i++ {
			s.XValidations = append(s.XValidations, rules...)
		}
	}
	for name, p := range s.Properties {
		repeat(&p, k)
		s.Properties[name] = p
	}
	if s.Items != nil && s.Items.Schema != nil {
		repeat(s.Items.Schema, k)
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		repeat(s.AdditionalProperties.Schema, k)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
