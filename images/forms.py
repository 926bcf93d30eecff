from django import forms

from .models import Image
from .uploads import inspect_upload

ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif"


class ImageForm(forms.ModelForm):
    """The library's upload and edit form. The file is checked here, so that a refusal is a form
    error and nothing is stored; services.image_save stores what passes."""

    upload = forms.FileField(
        label="File",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=Image._meta.get_field("file").help_text,
    )

    class Meta:
        model = Image
        fields = ["title", "alt_text", "decorative", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "caption": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_info = None
        if self.instance.pk is None:
            self.fields["upload"].required = True
        else:
            self.fields["upload"].label = "Replace the file"

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.upload_info = inspect_upload(upload)
        return upload
