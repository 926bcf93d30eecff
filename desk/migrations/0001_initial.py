import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import desk.models
from articles.moving import content_type_mover

move_content_type = content_type_mover(model="previewlink", from_app="articles", to_app="desk")


class Migration(migrations.Migration):
    """The PreviewLink model, moved from the articles app with its rows, permissions and grants
    (articles.0015 renamed its table)."""

    initial = True

    dependencies = [
        ("articles", "0015_move_preview_link_to_desk_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PreviewLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(default=desk.models.new_preview_key, editable=False, max_length=64, unique=True)),
                        ('shared_with', models.CharField(blank=True, help_text='Who the link is for, e.g. “Legal: J. Smith”. Only editors see this.', max_length=200)),
                        ('expires_at', models.DateTimeField(default=desk.models.default_preview_expiry, help_text='The link stops working at this time (48 hours from now unless you change it).')),
                        ('revoked_at', models.DateTimeField(blank=True, editable=False, help_text='When an editor switched the link off; it works no more from then on.', null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preview_links', to='articles.article')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'preview link',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
            ],
        ),
        migrations.RunPython(*move_content_type),
    ]
