"""The picture library: an Image per uploaded picture, and its Renditions (resized, cropped and
re-encoded copies) that pages show."""

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.text import slugify

from . import cropping

# Raise to renew every rendition, e.g. after changing encoder settings in renditions.py.
RENDITION_VERSION = 1


def original_upload_to(image, filename):
    """Originals live under their content's hash: a replaced file gets a new address, so any
    address ever served may be cached for good (see views.py)."""
    return f"images/originals/{image.file_hash[:16]}/{filename}"


def rendition_name(image, *, ratio, width, format, fingerprint):
    stem = slugify(image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:40] or "image"
    extension = Rendition.EXTENSIONS[format]
    slug = cropping.get_ratio(ratio).slug
    return f"images/renditions/{image.pk}/{stem}-{slug}-{width}.{fingerprint}.{extension}"


@dataclass(frozen=True)
class RenditionSpec:
    """One rendition an image should have, as its current file and focal point make it."""

    ratio: str
    format: str
    width: int
    height: int
    box: tuple  # the crop of the (upright) source, in pixels
    fingerprint: str


@functools.lru_cache(maxsize=4096)
def _rendition_specs(file_hash, width, height, focal_x, focal_y, ratios, formats):
    """The RenditionSpecs of a picture with this file, size and focal point: worked out once per
    process for each (a page showing a picture asks for them on every render, and each takes a
    SHA-256 per rendition). Everything they depend on is in the arguments, so none goes stale."""
    specs = []
    for key in ratios:
        ratio = cropping.get_ratio(key)
        box = cropping.crop_box(width, height, ratio, focal_x, focal_y)
        crop_w, crop_h = box[2] - box[0], box[3] - box[1]
        for rendition_width in cropping.widths_for(crop_w):
            for format in formats:
                source = f"{RENDITION_VERSION}|{file_hash}|{ratio.key}|{box}|{format}|"
                source += str(rendition_width)
                specs.append(
                    RenditionSpec(
                        ratio=ratio.key,
                        format=format,
                        width=rendition_width,
                        height=cropping.scaled_height(crop_w, crop_h, rendition_width),
                        box=box,
                        # The crop box, not the focal point: moving the point within a span
                        # that gives the same crop keeps the renditions.
                        fingerprint=hashlib.sha256(source.encode()).hexdigest()[:16],
                    )
                )
    return tuple(specs)


unit_interval = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        """Images with their renditions in one more query, however many images (for lists)."""
        return self.prefetch_related(prefetch_renditions())

    def search(self, text):
        words = text.split()
        condition = Q()
        for word in words:
            condition &= (
                Q(title__icontains=word)
                | Q(alt_text__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
            )
        return self.filter(condition)


def prefetch_renditions(lookup=""):
    """A Prefetch for the renditions of the images at `lookup`, e.g.
    Article.objects.select_related("lead_image").prefetch_related(
    prefetch_renditions("lead_image")): one query for every article's image renditions."""
    path = f"{lookup}__renditions" if lookup else "renditions"
    return Prefetch(path, queryset=Rendition.objects.order_by("width"))


class Image(models.Model):
    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"
        AVIF = "AVIF", "AVIF"
        GIF = "GIF", "GIF"

    CONTENT_TYPES = {
        "JPEG": "image/jpeg",
        "PNG": "image/png",
        "WEBP": "image/webp",
        "AVIF": "image/avif",
        "GIF": "image/gif",
    }

    file = models.FileField(
        upload_to=original_upload_to,
        max_length=255,
        help_text="The original picture: JPEG, PNG, WebP, AVIF or GIF, at most 25 MB and 50 "
        "megapixels. Choosing a new file keeps every place the image is used and makes its "
        "renditions again.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="A name to find the picture by in the library, e.g. “Harbour at dawn”. "
        "Left empty, the file name is used. Readers do not see it.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it, in a sentence: "
        "“Fishing boats moored in the harbour at dawn”. Required unless the picture is "
        "decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only when the picture adds nothing a reader would miss (a texture, a "
        "divider): screen readers then skip it. News photos are never decorative.",
    )
    caption = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Shown under the picture. An article may give its own caption instead.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made or supplied it, as printed: “Ana Silva / Newsroom”, “Reuters”.",
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=unit_interval,
        help_text="Where the subject is, from the left edge (0) to the right (1). Crops keep "
        "it in view. Click the preview to set it.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=unit_interval,
        help_text="Where the subject is, from the top edge (0) to the bottom (1).",
    )
    width = models.PositiveIntegerField(
        editable=False, help_text="In pixels, upright (as the camera's orientation shows it)."
    )
    height = models.PositiveIntegerField(editable=False, help_text="In pixels, upright.")
    file_size = models.PositiveBigIntegerField(editable=False, help_text="In bytes.")
    format = models.CharField(
        max_length=4,
        choices=Format,
        editable=False,
        help_text="What the file's content is, whatever its name said.",
    )
    file_hash = models.CharField(
        max_length=64,
        editable=False,
        db_index=True,
        help_text="SHA-256 of the original file; renditions are named after it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who uploaded it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was uploaded.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When it was last changed.")

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="image_created_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""),
                name="image_alt_text_unless_decorative",
                violation_error_message="Describe the picture in the alt text, or tick "
                "“decorative” if it adds nothing a reader would miss.",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1),
                name="image_focal_x_within_picture",
            ),
            models.CheckConstraint(
                condition=Q(focal_y__gte=0, focal_y__lte=1),
                name="image_focal_y_within_picture",
            ),
        ]

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]

    def clean(self):
        self.alt_text = self.alt_text.strip()
        if self.decorative and self.alt_text:
            raise ValidationError(
                {"alt_text": "A decorative picture has no alt text: clear it, or untick "
                 "“decorative” if the picture tells readers something."}
            )
        if not self.decorative and not self.alt_text:
            raise ValidationError(
                {"alt_text": "Describe the picture for readers who cannot see it, or tick "
                 "“decorative” if it adds nothing a reader would miss."}
            )

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.format]

    @property
    def alt(self):
        """The alt attribute pages give it: empty for a decorative picture."""
        return "" if self.decorative else self.alt_text

    def rendition_specs(self, ratios=None, formats=None):
        """The renditions this image should have now, for the given ratios (default: all)."""
        return list(
            _rendition_specs(
                self.file_hash, self.width, self.height, self.focal_x, self.focal_y,
                tuple(ratios or cropping.RATIOS), tuple(formats or Rendition.Format.values),
            )
        )  # fmt: skip

    # Renditions given by use_renditions(), for pages that load many images' in one query.
    loaded_renditions = None

    def use_renditions(self, renditions):
        """Give the image its renditions, loaded with other images' (loading.load_media): the
        picture tags, rendition_get() and renditions_make() then read them, not the database."""
        self.loaded_renditions = list(renditions)

    def known_renditions(self):
        """Every rendition of the image: those given by use_renditions(), or else
        `self.renditions.all()` (the prefetch cache, when there is one)."""
        if self.loaded_renditions is not None:
            return self.loaded_renditions
        return self.renditions.all()

    def current_renditions(self, ratio, renditions=None):
        """This image's up-to-date renditions for `ratio`, picked from `renditions` or else
        from known_renditions()."""
        wanted = {spec.fingerprint for spec in self.rendition_specs([ratio])}
        pool = self.known_renditions() if renditions is None else renditions
        return [r for r in pool if r.fingerprint in wanted]


class Rendition(models.Model):
    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
    CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}

    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="renditions", help_text="Made from."
    )
    ratio = models.CharField(
        max_length=8,
        choices=[(ratio.key, ratio.label) for ratio in cropping.RATIOS.values()],
        help_text="The shape it was cropped to around the focal point.",
    )
    format = models.CharField(max_length=4, choices=Format, help_text="How it is encoded.")
    width = models.PositiveIntegerField(help_text="In pixels.")
    height = models.PositiveIntegerField(help_text="In pixels.")
    fingerprint = models.CharField(
        max_length=16,
        help_text="Hash of the source file, crop and encoding it was made from; part of its "
        "address, so a new file or focal point gives new addresses.",
    )
    file = models.FileField(max_length=255, help_text="The encoded picture.")
    file_size = models.PositiveIntegerField(
        default=0, help_text="In bytes (feeds give it with the picture's address)."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was made.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["image", "ratio", "format", "width", "fingerprint"],
                name="rendition_unique_per_image_and_spec",
            ),
            models.CheckConstraint(
                condition=Q(ratio__in=list(cropping.RATIOS)), name="rendition_ratio_known"
            ),
            models.CheckConstraint(
                condition=Q(format__in=["avif", "webp", "jpeg"]), name="rendition_format_known"
            ),
        ]

    def __str__(self):
        return f"{self.image} ({self.ratio}, {self.width}px, {self.get_format_display()})"

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.format]

    @property
    def url(self):
        return self.file.url
