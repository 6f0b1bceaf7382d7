"""A tiny webhook receiver for tests: a real HTTP server on 127.0.0.1 in a thread,
answering each POST with the next of its status codes (the last one repeated) and
keeping what it was sent, with whether the signature was right."""

import hashlib
import hmac
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes
    signed_rightly: bool


def signed_rightly(secret: str, headers: dict, body: bytes) -> bool:
    """Check a delivery as the README tells a receiver to: the HMAC-SHA256, keyed with
    the secret, of the timestamp, a full stop and the body."""
    signed = headers["X-Portal-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Portal-Signature", ""))


class Receiver:
    def __init__(self, *statuses: int, secret: str = ""):
        self.statuses = list(statuses or (200,))
        self.secret = secret
        self.received: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers.items())
                receiver.received.append(
                    Received(headers, body, signed_rightly(receiver.secret, headers, body))
                )
                status = receiver.statuses[min(len(receiver.received), len(receiver.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/portal-events"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
