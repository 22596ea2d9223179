package config

import (
	"reflect"
	"slices"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/cogtool/cogtool/internal/exit"
)

// FuzzParse checks that no config file panics Parse, that every refusal is
// a usage error (exit 2), that an accepted file holds no literal secret and
// no unknown flow, and that what Parse accepts survives Save's encoding:
// marshalled and parsed again, it is the same configuration.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[profiles.default]\nregion = \"ap-south-1\"\nuser_pool_id = \"ap-south-1_p7GD1CkXO\"\nclient_id = \"4k2h\"\n" +
			"client_secret = \"env:DEMO_CLIENT_SECRET\"\ndomain = \"dotnet-demo\"\nscopes = [\"dotnet-demo/dotnet\"]\n" +
			"flow = \"client-credentials\"\nusername = \"alice\"\n",
		"[profiles.ci]\nclient_secret = \"file:/run/secrets/cognito\"\ntoken_url = \"http://127.0.0.1:9229/oauth2/token\"\n",
		"[profiles.default]\nclient_secret = \"s3cr3t-literal\"\n",
		"[profiles.default]\nflow = \"implicit\"\n",
		"[profiles.default]\nunknown = 1\n",
		"[profiles]\n",
		"profiles = 3\n",
		"[profiles.\"a b\"]\nregion = 'x'\n[profiles.'c.d']\nscopes = []\n",
		"[profiles.default\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c File
		if err := Parse(b, &c); err != nil {
			if code := exit.CodeOf(err); code != exit.Usage {
				t.Fatalf("Parse error with exit code %d: %v", code, err)
			}
			return
		}
		if c.Profiles == nil {
			t.Fatal("accepted file with nil Profiles")
		}
		for name, p := range c.Profiles {
			if p == nil {
				t.Fatalf("profile %q is nil", name)
			}
			if err := CheckSecretRef(p.Secret); err != nil {
				t.Fatalf("profile %q holds a literal client secret", name)
			}
			if p.Flow != "" && !slices.Contains(Flows, p.Flow) {
				t.Fatalf("profile %q has flow %q", name, p.Flow)
			}
			for _, k := range Keys {
				if _, err := c.Get(name, k); err != nil {
					t.Fatalf("Get(%q, %q): %v", name, k, err)
				}
			}
		}
		out, err := toml.Marshal(&c)
		if err != nil {
			t.Fatalf("marshal an accepted config: %v", err)
		}
		var again File
		if err := Parse(out, &again); err != nil {
			t.Fatalf("a saved config does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalize(c), normalize(again)) {
			t.Fatalf("round trip changed the config:\n%#v\n%#v\n%s", c, again, out)
		}
	})
}

// normalize makes empty and missing scope lists compare equal: TOML cannot
// tell them apart once omitempty has dropped the key.
func normalize(f File) File {
	out := File{Profiles: map[string]*Profile{}}
	for n, p := range f.Profiles {
		q := *p
		if len(q.Scopes) == 0 {
			q.Scopes = nil
		}
		out.Profiles[n] = &q
	}
	return out
}
