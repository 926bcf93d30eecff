"""
HTML rendered once per shape: a fragment of pages for everyone (a form's empty field, a
picture) is the same HTML wherever the same inputs make it, so each process renders it once and
keeps the result, for the SHAPES_KEPT shapes seen last. The key must hold every input the HTML
depends on.
"""

import threading
from collections import OrderedDict

# Distinct shapes kept: a picture per image and shape, a form field per starting value.
SHAPES_KEPT = 5000


class Shapes:
    """The rendered HTML of the shapes seen last, at most `size` of them."""

    def __init__(self, size):
        self.size = size
        self.html = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, render):
        with self.lock:
            html = self.html.get(key)
            if html is not None:
                self.html.move_to_end(key)
                return html
        html = render()
        with self.lock:
            self.html[key] = html
            while len(self.html) > self.size:
                self.html.popitem(last=False)
        return html


shapes = Shapes(SHAPES_KEPT)


def rendered_once(key, render):
    """render(), or the HTML it gave for `key` before (key: hashable, holding every input)."""
    return shapes.get(key, render)
