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
  later-bounce-...@   accepted (250), then bounced later: with --bounce-maildir=MAILDIR, a Postfix-style DSN (RFC 3464,
                      5.1.1) to the message's MAIL FROM is delivered into MAILDIR (tmp/, then new/), as an MTA's local
                      delivery of its bounce to the return path would
Usage: recording_smtp.py PORT DIR [USER:PASSWORD] [--no-smtputf8] [--bounce-maildir=MAILDIR]   (prints "READY" once it listens)
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


DSN = """Return-Path: <>\r
Delivered-To: {sender}\r
Date: {date}\r
From: MAILER-DAEMON@relay.test (Mail Delivery System)\r
Subject: Undelivered Mail Returned to Sender\r
To: {sender}\r
Auto-Submitted: auto-replied\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status; boundary="{queue}/relay.test"\r
Message-Id: <{queue}.dsn@relay.test>\r
\r
--{queue}/relay.test\r
Content-Description: Notification\r
Content-Type: text/plain; charset=us-ascii\r
\r
This is the mail system at host relay.test. Your message could not be delivered.\r
\r
<{rcpt}>: host mx.relay.test said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown\r
\r
--{queue}/relay.test\r
Content-Description: Delivery report\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; relay.test\r
X-Postfix-Queue-ID: {queue}\r
X-Postfix-Sender: rfc822; {sender}\r
\r
Final-Recipient: rfc822; {rcpt}\r
Original-Recipient: rfc822;{rcpt}\r
Action: failed\r
Status: 5.1.1\r
Remote-MTA: dns; mx.relay.test\r
Diagnostic-Code: smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown\r
\r
--{queue}/relay.test\r
Content-Description: Undelivered Message Headers\r
Content-Type: text/rfc822-headers\r
\r
{headers}\r
--{queue}/relay.test--\r
"""


def bounce_later(maildir, sender, rcpt, content, queue):
    """Delivers a DSN for rcpt to the return path into the Maildir, the way local delivery writes a mail."""
    headers = content.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    dsn = DSN.format(sender=sender, rcpt=rcpt, queue=queue, headers=headers,
                     date=time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()))
    name = "%d.%s.relay" % (time.time_ns(), queue)
    temporary = os.path.join(maildir, "tmp", name)
    with open(temporary, "wb") as f:
        f.write(dsn.encode("utf-8"))
    os.chmod(temporary, 0o644)
    os.rename(temporary, os.path.join(maildir, "new", name))


class Recorder:
    def __init__(self, directory, bounce_maildir=None):
        self.directory = directory
        self.bounce_maildir = bounce_maildir

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
        if self.bounce_maildir:
            for rcpt in envelope.rcpt_tos:
                if rcpt.split("@")[0].lower().startswith("later-bounce-"):
                    bounce_later(self.bounce_maildir, envelope.mail_from, rcpt, content, name)
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
    bounce_maildir = next((a.split("=", 1)[1] for a in flags if a.startswith("--bounce-maildir=")), None)
    controller = Controller(Recorder(directory, bounce_maildir), hostname="127.0.0.1", port=port, decode_data=False,
                            data_size_limit=50 * 1024 * 1024, **kwargs)
    controller.start()
    print("READY", flush=True)
    try:
        threading.Event().wait()  # until the test stops the process
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
