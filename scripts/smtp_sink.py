#!/usr/bin/env python3
"""A real SMTP server for the API tests: aiosmtpd on 127.0.0.1, STARTTLS with a certificate signed by
a throwaway CA (written beside the mail as ca.pem, for the client to trust), AUTH LOGIN/PLAIN
required (user "honglian", password "mail-secret") and only after STARTTLS. Every accepted message is
written to DIR as NNN.eml with the envelope's recipients in NNN.rcpt.

    smtp_sink.py DIR        prints "PORT <n>" once it listens, then serves until killed

The test suite installs aiosmtpd into a virtualenv (scripts/test.sh) and starts one per test.
"""

import os
import signal
import socket
import ssl
import subprocess
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = b"honglian", b"mail-secret"


def make_certs(d):
    def run(*args):
        subprocess.run(args, check=True, capture_output=True)

    ca_key, ca, key, csr, cert = (os.path.join(d, n) for n in ("ca.key", "ca.pem", "key.pem", "req.csr", "cert.pem"))
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
        "-subj", "/CN=Honglian test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext = os.path.join(d, "leaf.ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
        "-days", "2", "-extfile", ext)
    return cert, key


class Sink:
    def __init__(self, d):
        self.d = d
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.d, f"{self.n:03d}")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER and auth_data.password == PASSWORD
    return AuthResult(success=ok)


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    cert, key = make_certs(d)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        Sink(d), hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
        authenticator=authenticate, auth_required=True, auth_require_tls=True,
    )
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
