"""Serving media files from the default storage, for sites that keep them on this server's disk.

WhiteNoise serves static files only, and runserver serves no media, so `make run` and
`make serve` both come here. Only image files are served, by a name made of safe parts,
with the type taken from our own list (never sniffed): a stored file cannot become a page.
"""

import re

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from .storages import IMMUTABLE

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
}
# Path parts as get_valid_filename and our own naming make them; none may start with a dot, so
# "..", hidden files and empty parts never match.
SAFE_PATH = re.compile(r"\w[\w.-]*(?:/\w[\w.-]*)*")
# Names that carry a fingerprint (models.py): their content never changes.
FINGERPRINTED = re.compile(
    r"images/originals/[0-9a-f]{16}/[^/]+|images/renditions/\d+/[^/]+\.[0-9a-f]{16}\.\w+"
)
# Anything else may be replaced under the same name.
REVALIDATE = "public, max-age=300"


@require_safe
def media_file(request, path):
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if not SAFE_PATH.fullmatch(path) or extension not in CONTENT_TYPES:
        raise Http404("No such media file.")
    try:
        file = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation):
        raise Http404("No such media file.") from None
    if request.method == "HEAD":  # headers only: a WSGI server would drop a body anyway
        with file:
            response = HttpResponse(content_type=CONTENT_TYPES[extension])
            response["Content-Length"] = file.size
    else:
        response = FileResponse(file, content_type=CONTENT_TYPES[extension])
    response["Cache-Control"] = IMMUTABLE if FINGERPRINTED.fullmatch(path) else REVALIDATE
    response["X-Content-Type-Options"] = "nosniff"
    return response
