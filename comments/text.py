"""
Reader comments are plain text: shown escaped, with paragraphs, line breaks and bare
http(s) links, nothing else. Built on Django's own `urlize` and `linebreaks`.
"""

import re

from django.utils.html import Urlizer, linebreaks
from django.utils.safestring import mark_safe

LINK_REL = "nofollow ugc noopener noreferrer"

# Unicode's direction controls reorder the text around them, so a comment could make a link's
# visible text read other than its address ("…/\u202efdp.exe" shows as "…/exe.pdf").
DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Those, and control characters other than tab and line feed.
UNWANTED = re.compile(f"[{DIRECTION_CONTROLS}\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(text):
    """Text a reader typed, without direction controls or control characters. Right-to-left
    scripts need none of them: the browser lays them out by itself."""
    return UNWANTED.sub("", text)


def plain_name(name):
    """A commenter's name: plain text on one line, runs of spaces made one."""
    return " ".join(plain_text(name).split())


class CommentUrlizer(Urlizer):
    """Django's urlizer, limited to links a reader typed out in full (http:// or https://):
    no guessing at bare domains or email addresses, and every link marked as user content."""

    simple_url_2_re = re.compile(r"(?!)")  # matches nothing: no `www.` or `.com` guessing
    url_template = f'<a href="{{href}}" rel="{LINK_REL}">{{url}}</a>'

    @staticmethod
    def is_email_simple(value):
        return False

    def links(self, text):
        """The http(s) addresses that `render_comment` turns into links."""
        found = []
        for word in self.word_split_re.split(text):
            _lead, middle, _trail = self.trim_punctuation(word)
            if self.simple_url_re.match(middle):
                found.append(middle)
        return found


urlizer = CommentUrlizer()


def render_comment(text):
    # Cleaned here too: comments stored before the cleaning on input was added keep theirs.
    urlized = urlizer(plain_text(text), trim_url_limit=60, autoescape=True)
    # urlize has escaped everything outside the links it made.
    return mark_safe(linebreaks(urlized.strip()))  # noqa: S308


def comment_links(text):
    return urlizer.links(text)
