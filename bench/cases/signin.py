#!/usr/bin/env python3
"""Signs a caseworker in as a browser does (password, then TOTP enrolment or code)
and prints the session cookie's value, for the HTML-page benchmarks.

    signin.py BASE_URL EMAIL PASSWORD [TOTP_SECRET_FILE]

The TOTP secret learned at enrolment is kept in TOTP_SECRET_FILE so later sittings
sign in with a code (the account stays enrolled)."""
import base64, hashlib, hmac, http.cookiejar, os, re, struct, sys, time, urllib.parse, urllib.request

base, email, password = sys.argv[1:4]
secret_file = sys.argv[4] if len(sys.argv) > 4 else None
jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
opener.addheaders = [("Sec-Fetch-Site", "same-origin")]


def call(path, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        r = opener.open(base + path, data)
        return r.status, r.headers.get("Location"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location"), e.read().decode()


def totp(secret_b32):
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


status, to, _ = call("/login", {"email": email, "password": password})
if to == "/login/totp/enrol":
    _, _, page = call("/login/totp/enrol")
    secret = urllib.parse.unquote(re.search(r"secret=([A-Z2-7]+)", page).group(1))
    if secret_file:
        with open(secret_file, "w") as f:
            f.write(secret)
elif to == "/login/totp":
    secret = open(secret_file).read().strip()
else:
    sys.exit(f"sign-in answered {status} → {to}")
status, to, _ = call("/login/totp", {"code": totp(secret)})
if status != 303 and status != 302 or to != "/":
    sys.exit(f"second factor answered {status} → {to}")
print(next(c.value for c in jar if c.name == "zk_session"))
