package cli_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
)

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// fakeBrowser is installed as xdg-open on the scripts' PATH, so `cogtool
// token login` opens it like a real browser. It plays a person at
// cognito-local's hosted UI: it loads the authorize URL, submits the login
// form with $LOGIN_USERNAME and $LOGIN_PASSWORD, and follows the redirect
// to cogtool's loopback callback. It records what it did in $BROWSER_LOG.
func fakeBrowser() int {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: xdg-open URL")
		return 2
	}
	log := func(format string, a ...any) {
		if p := os.Getenv("BROWSER_LOG"); p != "" {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
			if err == nil {
				fmt.Fprintf(f, format+"\n", a...)
				f.Close()
			}
		}
	}
	// cogtool starts its browser without its own or the AWS variables.
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "COGTOOL_") || strings.HasPrefix(name, "AWS_") {
			log("inherited %s", name)
		}
	}
	if err := playBrowser(os.Args[1], os.Getenv("LOGIN_USERNAME"), os.Getenv("LOGIN_PASSWORD"), log); err != nil {
		log("error: %v", err)
		return 1
	}
	return 0
}

func playBrowser(authURL, username, password string, log func(string, ...any)) error {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	au, err := url.Parse(authURL)
	if err != nil {
		return err
	}
	log("open %s%s", au.Host, au.Path)
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	form.Set("username", username)
	form.Set("password", password)
	resp, err = noRedirect.PostForm(au.Scheme+"://"+au.Host+"/oauth2/authorize", form)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		if strings.Contains(string(body), "Incorrect username or password") {
			log("form: incorrect username or password")
		}
		return fmt.Errorf("sign-in answered %s", resp.Status)
	}
	loc := resp.Header.Get("Location")
	cb, err := url.Parse(loc)
	if err != nil {
		return err
	}
	log("redirect to %s%s", cb.Host, cb.Path)
	resp, err = noRedirect.Get(loc)
	if err != nil {
		return err
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	log("callback %d: %s", resp.StatusCode, strings.TrimSpace(stripTags(string(body))))
	return nil
}

var tags = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string {
	s = tags.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}
