#!/usr/bin/python3
"""A real SMTP server for the alerts sink's tests (Debian's python3-aiosmtpd), on loopback or
on every interface. Each message it accepts is written to the mailbox folder as one JSON file
{"from", "to", "data"}, in the order received. Modes: starttls (offers STARTTLS, requires it
before AUTH or MAIL), smtps (TLS from the first byte), plain (no TLS at all). With --user, a
login is required and only that user and password are accepted. Prints "ready <port>" once
listening; stops on SIGTERM.

Run it with Debian's interpreter (/usr/bin/python3), which finds Debian's aiosmtpd."""
import argparse
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Mailbox:
    def __init__(self, folder):
        self.folder = folder
        self.count = len(os.listdir(folder))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        message = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
                   "data": envelope.content.decode("utf-8", "replace")}
        path = os.path.join(self.folder, "%04d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump(message, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def certificate(folder):
    """A self-signed certificate for localhost and 127.0.0.1, made with openssl."""
    cert, key = os.path.join(folder, "server.pem"), os.path.join(folder, "server.key")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mailbox", required=True)
    p.add_argument("--certs", required=True, help="folder for the server's certificate (server.pem)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", choices=["starttls", "smtps", "plain"], default="starttls")
    p.add_argument("--user")
    p.add_argument("--password")
    a = p.parse_args()
    os.makedirs(a.mailbox, exist_ok=True)
    port = a.port or free_port(a.host)
    kwargs = {}
    if a.user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.user \
                and auth_data.password.decode() == a.password
            return AuthResult(success=ok, handled=False)
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=a.mode != "plain")
    if a.mode == "starttls":
        kwargs.update(tls_context=certificate(a.certs), require_starttls=True)
    elif a.mode == "smtps":
        kwargs.update(ssl_context=certificate(a.certs))
    else:
        certificate(a.certs)   # the test still reads the certificate's path
    controller = Controller(Mailbox(a.mailbox), hostname=a.host, port=port,
                            server_hostname="localhost", **kwargs)
    controller.start()
    print("ready", port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
