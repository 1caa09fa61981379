// Command kstrict reads Kubernetes manifests (a multi-document YAML stream on stdin) and
// decodes each strictly into the API types of the client-go Helm is built with, so an unknown
// or duplicated field is an error, which schema validation alone lets through. It prints one
// JSON line per document: its kind and name, and the error if any. Kinds client-go does not know
// (custom resources) are reported as skipped. Exit status 1 when any document failed.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

type result struct {
	Index   int    `json:"index"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Skipped bool   `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	reader := yaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	out := json.NewEncoder(os.Stdout)
	failed := false
	for index := 0; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "kstrict: document %d: %v\n", index, err)
			os.Exit(2)
		}
		asJSON, err := yaml.ToJSON(doc)
		if err != nil {
			failed = true
			_ = out.Encode(result{Index: index, Error: err.Error()})
			continue
		}
		if len(bytes.TrimSpace(asJSON)) == 0 || string(bytes.TrimSpace(asJSON)) == "null" {
			continue // only comments
		}
		var meta struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		_ = json.Unmarshal(asJSON, &meta)
		r := result{Index: index, Kind: meta.Kind, Name: meta.Metadata.Name}
		if _, _, err := decoder.Decode(asJSON, nil, nil); err != nil {
			if runtime.IsNotRegisteredError(err) {
				r.Skipped = true
			} else {
				failed = true
				r.Error = err.Error()
			}
		}
		_ = out.Encode(r)
	}
	if failed {
		os.Exit(1)
	}
}
