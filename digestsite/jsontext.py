"""JSON that is safe inside HTML: `<`, `>` and `&` written as \\u escapes (as Django's
`json_script` does), so no text can close a `<script>` element, open a comment, or be sniffed
as markup."""

import json

from django.core.serializers.json import DjangoJSONEncoder

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def html_safe_json(data) -> str:
    """`data` as JSON text (dates and decimals as Django serialises them), escaped as above."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
