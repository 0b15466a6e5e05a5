"""Verifies a received message's DKIM signature with dkimpy (python3-dkim), code this project did not write.

Usage: dkim_verify.py EML_FILE DNS_NAME TXT_VALUE. The DNS lookup of the signature's key answers TXT_VALUE for
DNS_NAME and nothing for any other name. Prints PASS or FAIL and the signature's d= and s=.
"""
import sys

import dkim


def main():
    path, name, value = sys.argv[1], sys.argv[2].rstrip(".").lower(), sys.argv[3]
    with open(path, "rb") as f:
        message = f.read()
    asked = []

    def dnsfunc(qname, timeout=5):
        qname = (qname.decode() if isinstance(qname, bytes) else qname).rstrip(".").lower()
        asked.append(qname)
        return value.encode() if qname == name else None

    ok = dkim.verify(message, dnsfunc=dnsfunc)
    print(("PASS" if ok else "FAIL") + " asked=" + ",".join(asked), flush=True)


if __name__ == "__main__":
    main()
