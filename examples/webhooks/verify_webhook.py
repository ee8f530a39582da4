"""Verifies an alipay-kit webhook in Python (docs/webhooks.md), standard library only.

    python3 verify_webhook.py <secret> <signature header> < body
exits 0 and prints the event's type and id, or exits 1 saying which part failed.
"""
import hashlib
import hmac
import json
import sys
import time


class WebhookError(Exception):
    def __init__(self, part, message):
        super().__init__(message)
        self.part = part


def verify_webhook(raw_body: bytes, header: str, secret: str, tolerance_sec: int = 300) -> dict:
    """The event of a webhook, checked over its exact bytes; WebhookError says what failed."""
    parts = {}
    for item in (header or "").split(","):
        name, sep, value = item.partition("=")
        if sep:
            parts.setdefault(name.strip(), []).append(value.strip())
    t = (parts.get("t") or [""])[0]
    signatures = parts.get("v1") or []
    if not t.isdigit() or not signatures:
        raise WebhookError("header", "Alipay-Kit-Signature must look like t=<unix seconds>,v1=<hex>")
    if abs(time.time() - int(t)) > tolerance_sec:
        raise WebhookError("timestamp", "the signature is older (or newer) than the tolerance: a replay?")
    signed = t.encode() + b"." + raw_body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, s.lower()) for s in signatures):
        raise WebhookError("signature", "no v1 signature matches: a wrong secret, or a changed body")
    return json.loads(raw_body)


if __name__ == "__main__":
    try:
        event = verify_webhook(sys.stdin.buffer.read(), sys.argv[2], sys.argv[1])
    except WebhookError as error:
        print(f"{error.part}: {error}", file=sys.stderr)
        sys.exit(1)
    print(event["type"], event["id"])
