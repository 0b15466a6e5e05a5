"""A real DNS server on loopback for the domain tests (python3-dnslib, UDP and TCP).

Usage: zone_dns.py PORT ZONE_FILE. Prints READY once listening. The zone file is JSON, read again for every query so
that a test changes what DNS answers by rewriting it:
  {"mode": "normal" | "servfail" | "timeout",
   "records": [{"name": "pm202611._domainkey.example.com", "type": "TXT" | "CNAME", "value": "..."}]}
A name with records of another type answers NOERROR with no answer; an unknown name answers NXDOMAIN. TXT values
longer than 255 characters are split into several strings, as RFC 1035 requires and DKIM keys need.
"""
import json
import sys
import time

from dnslib import CNAME, QTYPE, RCODE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class ZoneResolver(BaseResolver):
    def __init__(self, path):
        self.path = path

    def resolve(self, request, handler):
        with open(self.path, encoding="utf-8") as f:
            zone = json.load(f)
        reply = request.reply()
        mode = zone.get("mode", "normal")
        if mode == "servfail":
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if mode == "timeout":
            return None
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        named = [r for r in zone.get("records", []) if r["name"].rstrip(".").lower() == qname]
        if not named:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for r in named:
            if r["type"] != qtype:
                continue
            if qtype == "TXT":
                value = r["value"].encode()
                reply.add_answer(RR(qname, QTYPE.TXT, ttl=60, rdata=TXT([value[i:i + 255] for i in range(0, len(value), 255)])))
            elif qtype == "CNAME":
                reply.add_answer(RR(qname, QTYPE.CNAME, ttl=60, rdata=CNAME(r["value"])))
        return reply


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    resolver = ZoneResolver(path)
    quiet = DNSLogger(logf=lambda _: None)  # nobody reads our stdout after READY: logging would fill the pipe and block
    servers = [DNSServer(resolver, port=port, address="127.0.0.1", tcp=tcp, logger=quiet) for tcp in (False, True)]
    for server in servers:
        server.start_thread()
    print("READY", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
