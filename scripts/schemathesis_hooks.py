"""Signs schemathesis in as a demo county admin (scripts/schemathesis.sh).

The session cookie and the X-CSRF-Token header go on every request. The fuzzer also calls
DELETE /session and DELETE /me/sessions, which end the session: signing in again every few
seconds keeps the rest of the run authenticated.
"""

import json
import os
import urllib.request

import schemathesis

BASE = os.environ["HONGLIAN_BASE"]
USER = os.environ.get("HONGLIAN_USER", "wuchuan_admin")
PASSWORD = os.environ["HONGLIAN_PASSWORD"]


@schemathesis.auth()
class HonglianSession:
    refresh_interval = 5

    def get(self, case, ctx):
        body = json.dumps({"username": USER, "password": PASSWORD}).encode()
        req = urllib.request.Request(
            f"{BASE}/session", data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            csrf = json.load(resp)["csrf_token"]
            cookie = next(
                c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") if c.startswith("hl_session=")
            )
        return {"cookie": cookie, "csrf": csrf}

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Cookie"] = data["cookie"]
        case.headers["X-CSRF-Token"] = data["csrf"]
