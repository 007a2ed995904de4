"""schemathesis hooks for `gleaner serve` (scripts/serve_schemathesis.sh): JSON Lines.

/extract/batch takes and gives application/x-ndjson, which schemathesis does not know. Its
OpenAPI description gives each body as an array (of pages in, of records out); these hooks
put one JSON value per line on the wire and read the answer's lines back into an array, so
the generated pages reach the server and its records are checked against the schema.
"""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def to_json_lines(ctx, value):
    # Negative cases may be any JSON value; a non-array is one line.
    lines = value if isinstance(value, list) else [value]
    return "".join(json.dumps(v) + "\n" for v in lines).encode()


@schemathesis.deserializer("application/x-ndjson")
def from_json_lines(ctx, response):
    # Lines end at "\n" only (str.splitlines would also cut at U+0085 or U+2028, which JSON
    # strings may hold unescaped).
    text = response.content.decode("utf-8")
    return [json.loads(line) for line in text.split("\n") if line.strip()]


# A raw page (text/html, application/octet-stream) goes on the wire as its bytes. A negative
# case that swaps the schema's string for an object, number or null is sent as that value's
# text, which is a page like any other: it violates nothing the server can see, so it is
# not sent (every other negative case is).
RAW_PAGE = ("text/html", "application/octet-stream")


@schemathesis.hook
def filter_case(ctx, case):
    if case.media_type in RAW_PAGE:
        return not isinstance(case.body, (dict, list, int, float, bool, type(None)))
    return True
