# Varnish 7.1 (Debian's varnish) with varnish-modules (vmod xkey) in front of `make serve`.
# `make edge` runs it; docs/deploy.md explains each rule. The backend port is replaced by
# `make edge` and the edge tests.
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # /healthz answers 503 while the database is down: the backend is then "sick" and readers
    # get the last good copy of a page (grace) instead of the outage page.
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: the app servers (NEWSROOM_VARNISH_URLS points here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Keys are letters, digits and hyphens (pagecache/edge.py).
        ban("obj.http.xkey ~ (^| )(" + regsuball(req.http.xkey-ban, " +", "|") + ")( |$)");
        return (synth(200, "Banned"));
    }
    set req.http.Host = std.tolower(req.http.Host);
    # Posts, staff (a session) and readers with comments awaiting moderation go to Django;
    # the cookie names are SESSION_COOKIE_NAME and NEWSROOM_PAGE_CACHE_BYPASS_COOKIES.
    if (req.method != "GET" && req.method != "HEAD") {
        # Buffer the whole body first: a slow client holds a Varnish thread, not a worker.
        std.cache_req_body(1MB);
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|newsroom_comments)=") {
        return (pass);
    }
    # Pages for everyone do not depend on cookies (the CSRF cookie included).
    unset req.http.Cookie;
    if (std.healthy(req.backend_hint)) {
        # Healthy: at most a few seconds of staleness while a fresh copy is fetched.
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    # One copy per page whatever the case or port of the Host header (Django makes the page for
    # the canonical host too: pagecache.pages.canonical_host). Posts keep the port, which their
    # Origin check compares.
    hash_data(req.url);
    hash_data(regsub(req.http.Host, ":[0-9]+$", ""));
    # Behind a TLS proxy Django answers plain-HTTP requests with a redirect to HTTPS: keep that
    # apart from the page HTTPS readers get.
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    # Searches get a small storage of their own: random queries cannot push articles out.
    if (bereq.url ~ "^/search/") {
        set beresp.storage = storage.search;
    }
    # Keep pages a day past their s-maxage, for readers while Django or the database is down.
    set beresp.grace = 24h;
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        # Keep serving the stale copy rather than an error.
        return (abandon);
    }
    # With no secrets in the HTML, compressing is safe (no BREACH-style token to guess).
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))") {
        set beresp.do_gzip = true;
    }
}

# Django could not be reached, or the probe says it is sick (the database is down) and there is
# no copy of the page to serve: say so plainly. A form sent now was not saved, and the reader is
# told to send it again (as Django's own 503 page does).
sub vcl_backend_error {
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    synthetic({"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Back in a moment</title></head>
<body><main><h1>Back in a moment</h1>
<p>The site has a short technical problem. Please try again in a minute; if you were sending a
comment or signing up, it was not saved: send it again then.</p></main></body></html>
"});
    set beresp.status = 503;
    return (deliver);
}

sub vcl_deliver {
    set resp.http.X-Cache = "miss";
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    }
    # The keys are for caches, not readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
