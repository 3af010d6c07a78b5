#!/usr/bin/env python3
"""A tiny SMTP server on loopback for the tests: it accepts every message and
writes it to a directory. A test fixture, not product code.

    python3 tests/smtp_sink.py --dir DIR [--port N] [--port-file FILE]

Listens on 127.0.0.1 (port 0 = a free one; its number goes to --port-file once
the server is listening). Each message becomes DIR/NNNN.eml (the DATA as sent,
dot-unstuffed, CRLF line ends) and DIR/NNNN.json ({"from", "to": [...]}), the
.json written last, so a test that sees it sees a whole message. Speaks EHLO/HELO,
MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT; offers no STARTTLS and no AUTH.
Stops on SIGTERM or SIGINT.
"""
import argparse
import json
import os
import signal
import socketserver
import sys
import threading

MAX_MESSAGE = 10 * 1024 * 1024
counter_lock = threading.Lock()
counter = [0]


def next_name(directory):
    with counter_lock:
        counter[0] += 1
        return os.path.join(directory, "%04d" % counter[0])


class Session(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sender, rcpts = None, []
        self.reply("220 localhost phaen test sink")
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250-8BITMIME")
                self.reply("250 SIZE %d" % MAX_MESSAGE)
            elif verb == "HELO":
                self.reply("250 localhost")
            elif line.upper().startswith("MAIL FROM:"):
                sender, rcpts = line[10:].strip().split(" ")[0].strip("<>"), []
                self.reply("250 OK")
            elif line.upper().startswith("RCPT TO:"):
                if sender is None:
                    self.reply("503 MAIL first")
                    continue
                rcpts.append(line[8:].strip().split(" ")[0].strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("503 RCPT first")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                data, size = [], 0
                while True:
                    l = self.rfile.readline(MAX_MESSAGE)
                    if not l:
                        return
                    if l in (b".\r\n", b".\n"):
                        break
                    if l.startswith(b"."):
                        l = l[1:]
                    size += len(l)
                    if size > MAX_MESSAGE:
                        self.reply("552 too big")
                        return
                    data.append(l)
                base = next_name(self.server.directory)
                with open(base + ".eml", "wb") as f:
                    f.write(b"".join(data))
                with open(base + ".json.tmp", "w", encoding="utf-8") as f:
                    json.dump({"from": sender, "to": rcpts}, f)
                os.rename(base + ".json.tmp", base + ".json")
                sender, rcpts = None, []
                self.reply("250 OK queued")
            elif verb == "RSET":
                sender, rcpts = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not recognized")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    srv = Server(("127.0.0.1", a.port), Session)
    srv.directory = a.dir

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
