"""Writes to the picture library that touch storage or several rows.

Files and rows move together: a refused upload stores nothing; a file is written before its
row, and files that no row needs any more are deleted only once the transaction that let go
of them has committed (a rolled-back change keeps them).
"""

from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from . import renditions
from .models import Image, Rendition, rendition_name
from .uploads import inspect_upload


def image_create(*, upload, created_by=None, info=None, **fields):
    """Check and store an upload as a new library Image; renditions follow in a task.

    `fields` are the editor's: title, alt_text, decorative, caption, credit, focal_x, focal_y.
    `info` is the upload's UploadInfo when the caller has already inspected it.
    """
    return image_save(image=Image(created_by=created_by, **fields), upload=upload, info=info)


def image_save(*, image, upload=None, info=None):
    """Save a new Image, or one whose fields an editor changed, with `upload` as its file.

    A changed image keeps its row (and so every use of it), even with a new file; renditions
    the new file or focal point makes stale are deleted, with their files, and new ones follow
    in a task. Nothing is stored when the upload or the fields are refused.
    """
    if image.pk is None and upload is None:
        raise ValueError("A new image needs a file.")
    old_name = image.file.name if image.pk else ""
    if upload is not None:
        info = info or inspect_upload(upload)
        _set_file_facts(image, info)
    image.full_clean(exclude=["file"])
    if upload is not None:
        image.file.save(info.name, upload, save=False)
    try:
        with transaction.atomic():
            image.save()
            if old_name and image.file.name != old_name:
                transaction.on_commit(partial(_delete_files, [old_name]))
            renditions_prune(image=image)
            _enqueue_renditions(image)
    except BaseException:
        if upload is not None:
            default_storage.delete(image.file.name)
            image.file.name = old_name
        raise
    return image


def image_delete(*, image):
    """Delete an Image, its renditions and, once that is committed, all their files."""
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(partial(_delete_files, names))


def renditions_prune(*, image):
    """Delete the renditions that no longer match the image's file and focal point."""
    wanted = {spec.fingerprint for spec in image.rendition_specs()}
    stale = [r for r in image.renditions.all() if r.fingerprint not in wanted]
    if stale:
        Rendition.objects.filter(pk__in=[r.pk for r in stale]).delete()
        transaction.on_commit(partial(_delete_files, [r.file.name for r in stale]))
    return len(stale)


def renditions_make(*, image, ratios=None, formats=None):
    """Make the renditions `image` is missing (for `ratios`, default all); returns them.

    Safe to run twice at once: names are fixed by the fingerprint, so both write the same bytes
    to the same name, and the unique constraint keeps one row per rendition.
    """
    have = {r.fingerprint for r in image.known_renditions()}
    missing = [s for s in image.rendition_specs(ratios, formats) if s.fingerprint not in have]
    if not missing:
        return []
    made = []
    with image.file.open("rb") as source:
        for spec, data in renditions.render(source, missing):
            name = rendition_name(
                image, ratio=spec.ratio, width=spec.width, format=spec.format,
                fingerprint=spec.fingerprint,
            )  # fmt: skip
            if not default_storage.exists(name):
                name = default_storage.save(name, ContentFile(data))
            made.append(
                Rendition(
                    image=image, ratio=spec.ratio, format=spec.format, width=spec.width,
                    height=spec.height, fingerprint=spec.fingerprint, file=name,
                    file_size=len(data),
                )  # fmt: skip
            )
    Rendition.objects.bulk_create(made, ignore_conflicts=True)
    if image.loaded_renditions is not None:
        image.loaded_renditions += made
    return made


def rendition_get(*, image, ratio="original", format="jpeg", min_width=0, max_width=None):
    """One rendition of `image` for a single use (a social card, the admin preview): the
    narrowest at least `min_width` wide, else the widest there is, made now if missing."""
    current = image.current_renditions(ratio)
    wanted = {spec.fingerprint for spec in image.rendition_specs([ratio], [format])}
    if not wanted <= {r.fingerprint for r in current}:
        current += renditions_make(image=image, ratios=[ratio], formats=[format])
    candidates = sorted(
        (r for r in current if r.format == format and (max_width is None or r.width <= max_width)),
        key=lambda r: r.width,
    )
    if not candidates:
        return None
    return next((r for r in candidates if r.width >= min_width), candidates[-1])


def _set_file_facts(image, info):
    image.width, image.height = info.width, info.height
    image.file_size, image.format, image.file_hash = info.size, info.format, info.sha256
    if not image.title:
        image.title = info.name.rsplit(".", 1)[0].replace("_", " ").replace("-", " ")[:200]


def _enqueue_renditions(image):
    from .tasks import make_renditions

    transaction.on_commit(partial(make_renditions.enqueue, image.pk))


def _delete_files(names):
    for name in names:
        if name:
            default_storage.delete(name)
