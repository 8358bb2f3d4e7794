"""What a browser would submit: the fields of an admin form as its HTML shows them."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Inputs, checked boxes and radios, selected options and textareas of the form whose id
    ends in `_form` (the admin's change form), without files and without the empty templates
    of inline formsets (`__prefix__`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._first_line = True  # browsers drop a line break right after <textarea>
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            if self._first_line and data.startswith("\n"):
                data = data[1:]
            self._first_line = False
            self.data[self._textarea][-1] += data


def form_data(html: str) -> dict[str, list[str]]:
    """The admin form's fields in `html`, as a browser would post them unchanged."""
    parser = _FormFields()
    parser.feed(html)
    return {k: v for k, v in parser.data.items() if "__prefix__" not in k}


def change_form_data(client, url) -> dict[str, list[str]]:
    """GET the change form at `url` and return what saving it unchanged would post."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return form_data(response.content.decode())
