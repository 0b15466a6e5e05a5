"""A real SMTP server for the tests (Debian's python3-aiosmtpd; run with /usr/bin/python3).

Records every message it accepts as an .eml file in DIR (written to a temporary name, then renamed), the
envelope recipients first as X-Test-Rcpt-To. Answers failures on demand, by recipient local part:
  tempfailN-...@   451 at RCPT TO for the first N attempts at that address, then accepted
  downN-...@       421 at RCPT TO for the first N attempts at that address, then accepted
  reject-...@      550 at RCPT TO, always
  datafailN-...@   451 after DATA for the first N attempts of that message's first recipient
  replyCODE[.X.Y.Z]-...@     that reply at RCPT TO, always (reply550.5.7.1-a@ answers "550 5.7.1 ..."; reply550-a@
                             answers a bare "550 ...")
  datareplyCODE[.X.Y.Z]-...@ that reply after DATA when it is the message's first recipient
  a sender replyCODE[.X.Y.Z]-...@   that reply at MAIL FROM
Usage: recording_smtp.py PORT DIR [USER:PASSWORD] [--no-smtputf8]   (prints "READY" once it listens)
  --no-smtputf8: do not announce SMTPUTF8 (RFC 6531); non-ASCII in a command is then "500 Error: strict ASCII mode"
"""
import itertools
import os
import re
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

counts = {}
lock = threading.Lock()
sequence = itertools.count()
SCENARIO = re.compile(r"^(tempfail|down|datafail)(\d+)-", re.IGNORECASE)
REPLY = re.compile(r"^(reply|datareply)(\d{3})((?:\.\d{1,3}){3})?-", re.IGNORECASE)


def scripted(kind, address):
    """The reply a replyCODE[.X.Y.Z]- (or datareply...) local part asks for, or None."""
    match = REPLY.match(address.split("@")[0])
    if not match or match.group(1).lower() != kind:
        return None
    enhanced = match.group(3)[1:] + " " if match.group(3) else ""
    return "%s %sscripted reply for <%s>" % (match.group(2), enhanced, address)


def attempt(key):
    with lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]


class Recorder:
    def __init__(self, directory):
        self.directory = directory

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        reply = scripted("reply", address)
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = scripted("reply", address)
        if reply:
            return reply
        local = address.split("@")[0].lower()
        if local.startswith("reject-"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        match = SCENARIO.match(local)
        if match and match.group(1) in ("tempfail", "down"):
            if attempt(("rcpt", address.lower())) <= int(match.group(2)):
                if match.group(1) == "down":
                    return "421 4.3.2 Service shutting down, try again later"
                return "451 4.7.1 <%s>: greylisted, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = scripted("datareply", envelope.rcpt_tos[0])
        if reply:
            return reply
        first = envelope.rcpt_tos[0].lower()
        match = SCENARIO.match(first.split("@")[0])
        if match and match.group(1) == "datafail" and attempt(("data", first)) <= int(match.group(2)):
            return "451 4.3.0 Temporary failure after DATA, try again"
        name = "%d-%06d" % (time.time_ns(), next(sequence))
        temporary = os.path.join(self.directory, name + ".tmp")
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(temporary, "wb") as f:
            f.write(b"X-Test-Rcpt-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(b"X-Test-Mail-From: " + (envelope.mail_from or "").encode() + b"\r\n")
            f.write(content)
        os.rename(temporary, os.path.join(self.directory, name + ".eml"))
        return "250 2.0.0 OK queued as " + name


def main():
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    port, directory = int(args[0]), args[1]
    os.makedirs(directory, exist_ok=True)
    kwargs = {"enable_SMTPUTF8": "--no-smtputf8" not in flags}
    if len(args) > 2:
        user, password = args[2].split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok)

        kwargs.update({"authenticator": authenticator, "auth_require_tls": False, "auth_required": True})
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port, decode_data=False,
                            data_size_limit=50 * 1024 * 1024, **kwargs)
    controller.start()
    print("READY", flush=True)
    try:
        threading.Event().wait()  # until the test stops the process
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
