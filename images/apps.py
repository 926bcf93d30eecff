from django.apps import AppConfig
from django.conf import settings


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Picture library"

    def ready(self):
        from PIL import Image as PillowImage

        # Pillow's own guard against decompression bombs, at our lower limit, for every
        # picture opened in this process (uploads.py refuses bigger ones with a clearer message).
        PillowImage.MAX_IMAGE_PIXELS = settings.NEWSROOM_IMAGES_MAX_PIXELS
