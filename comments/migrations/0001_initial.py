import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.db import migrations, models

from articles.moving import content_type_mover

move_content_type = content_type_mover(model="comment", from_app="articles", to_app="comments")


class Migration(migrations.Migration):
    """The Comment model, moved from the articles app with its rows, permissions and grants
    (articles.0014 renamed its table)."""

    initial = True

    dependencies = [
        ("articles", "0014_move_comment_to_comments_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Comment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='The name the reader gave; shown publicly.', max_length=80)),
                        ('email', models.EmailField(help_text="The reader's email address, in lower case. Never shown on the site.", max_length=254)),
                        ('body', models.TextField(help_text='Plain text, up to 5,000 characters. Links and line breaks are kept; anything that looks like HTML is shown as typed.', max_length=5000)),
                        ('status', models.CharField(choices=[('pending', 'Awaiting moderation'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('spam', 'Spam')], default='pending', help_text='Only approved comments are shown to readers.', max_length=10)),
                        ('spam_reason', models.CharField(blank=True, help_text='Why the comment was filed as spam automatically, if it was.', max_length=200)),
                        ('body_fingerprint', models.CharField(editable=False, help_text='A hash of the body ignoring case and spacing, to spot repeated comments.', max_length=64)),
                        ('ip_hash', models.CharField(blank=True, help_text="A keyed hash of the poster's IP address (the address itself is not kept).", max_length=64)),
                        ('user_agent', models.CharField(blank=True, help_text="The poster's browser, cut to 255 characters.", max_length=255)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, help_text='When it was posted.')),
                        ('edited_at', models.DateTimeField(blank=True, help_text='When the reader last edited it, if they did.', null=True)),
                        ('notified_at', models.DateTimeField(blank=True, help_text='When editors were emailed about it; empty until the next notice.', null=True)),
                        ('article', models.ForeignKey(help_text='The article the comment is under.', on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='articles.article')),
                        ('parent', models.ForeignKey(blank=True, help_text='The comment this one replies to, if any. Replies are one level deep.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='comments.comment')),
                    ],
                    options={
                        'ordering': ['created_at', 'pk'],
                        'permissions': [('moderate_comment', 'Can approve, reject and mark comments as spam')],
                        'indexes': [models.Index(fields=['article', 'status', 'created_at'], name='comment_article_status_idx'), models.Index(fields=['status', '-created_at'], name='comment_status_created_idx'), models.Index(fields=['email', 'status'], name='comment_email_status_idx'), models.Index(fields=['body_fingerprint', 'created_at'], name='comment_fingerprint_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'rejected', 'spam'])), name='comment_status_valid'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('body'), 5000), name='comment_body_max_length', violation_error_message='A comment can be at most 5,000 characters.'), models.CheckConstraint(condition=models.Q(models.Q(('body', ''), _negated=True), models.Q(('name', ''), _negated=True), models.Q(('email', ''), _negated=True)), name='comment_required_fields')],
                    },
                ),
            ],
        ),
        migrations.RunPython(*move_content_type),
    ]
