"""A webhook receiver for bench/webhooks.sh: answers 200 to every POST (HTTP/1.1, keep-alive) and appends one JSON
line per request to <dir>/<first path segment>.jsonl: arrival time (epoch seconds), webhook headers and the body,
so the baseline loop can post the very same requests. Usage: webhook-receiver.py PORT DIR."""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, directory = int(sys.argv[1]), sys.argv[2]
os.makedirs(directory, exist_ok=True)
lock = threading.Lock()
files = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the second waits for the client's delayed ACK (≈ 40 ms),
    # which would cap every client at a few requests per connection per 40 ms and measure nothing else.
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        at = time.time()
        name = self.path.strip("/").split("/")[0] or "root"
        line = json.dumps({"at": at, "id": self.headers.get("webhook-id"), "timestamp": self.headers.get("webhook-timestamp"),
                           "signature": self.headers.get("webhook-signature"), "body": body})
        with lock:
            f = files.get(name) or files.setdefault(name, open(os.path.join(directory, name + ".jsonl"), "a", buffering=1))
            f.write(line + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
print("READY", flush=True)
server.serve_forever()
